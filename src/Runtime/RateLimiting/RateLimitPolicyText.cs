// This file is compiled into both the runtime (net10.0) and the generator (netstandard2.0), so a
// policy is checked at compile time and parsed at run time by the same code.
using System;
using System.Collections.Generic;
using System.Globalization;

namespace Rampart.RateLimiting
{
    /// <summary>
    /// The text form of rate-limit policies: one or more rules separated by <c>;</c>, each
    /// <c>N/unit</c> or <c>N per unit</c>, where unit is second, minute, hour or day
    /// (for example <c>"100/minute; 1000 per hour"</c>).
    /// </summary>
    internal static class RateLimitPolicyText
    {
        /// <summary>The largest limit a rule may declare.</summary>
        public const int MaxLimit = 1_000_000;

        /// <summary>Parses <paramref name="text"/> into (limit, window seconds) pairs; returns an error message or null.</summary>
        public static string? TryParse(string? text, List<(int Limit, int WindowSeconds)> rules)
        {
            if (text is null || text.Trim().Length == 0)
            {
                return "the policy is empty";
            }

            foreach (string part in text.Split(';'))
            {
                string rule = part.Trim();
                if (rule.Length == 0)
                {
                    return "a rule is empty (two ';' in a row, or a trailing ';')";
                }

                string count;
                string unit;
                int slash = rule.IndexOf('/');
                int per = rule.IndexOf(" per ", StringComparison.OrdinalIgnoreCase);
                if (slash > 0)
                {
                    count = rule.Substring(0, slash).Trim();
                    unit = rule.Substring(slash + 1).Trim();
                }
                else if (per > 0)
                {
                    count = rule.Substring(0, per).Trim();
                    unit = rule.Substring(per + 5).Trim();
                }
                else
                {
                    return $"'{rule}' is not of the form 'N/unit' or 'N per unit'";
                }

                if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int limit) || limit < 1 || limit > MaxLimit)
                {
                    return $"'{count}' is not a whole number between 1 and {MaxLimit}";
                }

                int seconds;
                switch (unit.ToLowerInvariant())
                {
                    case "second": case "seconds": case "s": case "sec": seconds = 1; break;
                    case "minute": case "minutes": case "m": case "min": seconds = 60; break;
                    case "hour": case "hours": case "h": seconds = 3600; break;
                    case "day": case "days": case "d": seconds = 86400; break;
                    default: return $"'{unit}' is not a unit (use second, minute, hour or day)";
                }

                foreach (var existing in rules)
                {
                    if (existing.WindowSeconds == seconds)
                    {
                        return $"two rules share the window '{unit}'";
                    }
                }

                rules.Add((limit, seconds));
            }

            return null;
        }
    }
}
