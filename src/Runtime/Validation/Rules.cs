using System;
using System.Text.RegularExpressions;

namespace Rampart.Validation;

/// <summary>
/// Runtime pieces of compiled validation: the checks of <c>[EmailAddress]</c> and <c>[Url]</c> with
/// exactly the DataAnnotations semantics, and full-match evaluation of a cached pattern.
/// </summary>
public static class Rules
{
    /// <summary>
    /// The <c>EmailAddressAttribute</c> rule: one <c>@</c>, neither first nor last, and no line breaks.
    /// </summary>
    public static bool IsEmailAddress(string value)
    {
        if (value.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            return false;
        }

        int index = value.IndexOf('@');
        return index > 0 && index != value.Length - 1 && index == value.LastIndexOf('@');
    }

    /// <summary>The <c>UrlAttribute</c> rule: an absolute http, https or ftp address.</summary>
    public static bool IsUrl(string value) =>
        value.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("ftp://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The <c>RegularExpressionAttribute</c> rule: the pattern must match the whole value. A match
    /// that times out counts as a failure, never as a pass.
    /// </summary>
    public static bool IsFullMatch(Regex pattern, string value)
    {
        try
        {
            // The first match decides, as in RegularExpressionAttribute; ValueMatch allocates nothing.
            foreach (ValueMatch match in pattern.EnumerateMatches(value))
            {
                return match.Index == 0 && match.Length == value.Length;
            }

            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Creates the cached, ReDoS-safe regex used for patterns too complex to compile to span code.</summary>
    public static Regex CreatePattern(string pattern, int timeoutMilliseconds) =>
        new(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(timeoutMilliseconds));
}
