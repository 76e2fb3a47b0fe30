using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Rampart.RateLimiting;

/// <summary>One rule of a policy: at most <see cref="Limit"/> requests per <see cref="Window"/>.</summary>
public readonly record struct RateLimitRule(int Limit, TimeSpan Window);

/// <summary>
/// A named set of rules that all apply (for example 100/minute and 1000/hour). Parsed once, at
/// start-up or when endpoints are mapped; the generator checks the same text at compile time.
/// </summary>
public sealed class RateLimitPolicy
{
    private static int s_nextId = -1;

    private RateLimitPolicy(string name, RateLimitRule[] rules)
    {
        Name = name;
        Rules = rules;
        HeaderValue = BuildHeader(name, rules);
        Id = System.Threading.Interlocked.Increment(ref s_nextId);
        WindowTicks = new long[rules.Length];
        IntervalTicks = new long[rules.Length];
        RuleNames = new string[rules.Length];
        for (int i = 0; i < rules.Length; i++)
        {
            WindowTicks[i] = rules[i].Window.Ticks;
            IntervalTicks[i] = rules[i].Window.Ticks / rules[i].Limit;
            RuleNames[i] = rules.Length == 1 ? name : name + "-" + ((long)rules[i].Window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }
    }

    // Precomputed once: stores index their state by Id and never divide per decision.
    internal int Id { get; }

    internal long[] WindowTicks { get; }

    internal long[] IntervalTicks { get; }

    /// <summary>The name of each rule in headers and problem details: the policy name, suffixed with the window in seconds when there are several.</summary>
    internal string[] RuleNames { get; }

    /// <summary>The policy name used in headers and problem details.</summary>
    public string Name { get; }

    /// <summary>The rules, shortest window first.</summary>
    public IReadOnlyList<RateLimitRule> Rules { get; }

    /// <summary>The <c>RateLimit-Policy</c> header value (IETF httpapi draft structured fields).</summary>
    public string HeaderValue { get; }

    /// <summary>Parses <paramref name="text"/>; throws with a clear message when it is malformed.</summary>
    public static RateLimitPolicy Parse(string name, string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var rules = new List<(int Limit, int WindowSeconds)>();
        string? error = RateLimitPolicyText.TryParse(text, rules);
        if (error is not null)
        {
            throw new FormatException($"The rate-limit policy '{name}' ('{text}') is malformed: {error}.");
        }

        rules.Sort((a, b) => a.WindowSeconds.CompareTo(b.WindowSeconds));
        var result = new RateLimitRule[rules.Count];
        for (int i = 0; i < rules.Count; i++)
        {
            result[i] = new RateLimitRule(rules[i].Limit, TimeSpan.FromSeconds(rules[i].WindowSeconds));
        }

        return new RateLimitPolicy(name, result);
    }

    private static string BuildHeader(string name, RateLimitRule[] rules)
    {
        var builder = new StringBuilder();
        for (int i = 0; i < rules.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(", ");
            }

            string suffix = rules.Length == 1 ? string.Empty : "-" + ((long)rules[i].Window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            builder.Append('"').Append(name).Append(suffix).Append("\";q=")
                .Append(rules[i].Limit.ToString(CultureInfo.InvariantCulture))
                .Append(";w=").Append(((long)rules[i].Window.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }
}
