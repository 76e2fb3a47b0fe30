using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using Rampart.Generator.Model;

namespace Rampart.Generator.Parsing;

/// <summary>
/// Decides how a <c>[RegularExpression]</c> pattern is evaluated. Simple anchored patterns — a
/// sequence of literals and character classes with greedy quantifiers, where greedy matching can
/// never need to give characters back — become straight span code. Everything else becomes a cached
/// <c>RegexOptions.NonBacktracking</c> regex with a timeout.
/// </summary>
/// <remarks>
/// Equivalence with <c>RegularExpressionAttribute</c> (first match must start at 0 and cover the
/// whole value): when every variable-length atom is disjoint from each atom that may follow it
/// up to the next mandatory one, the greedy run of each atom is forced, so the regex's first match
/// and the span matcher's single pass agree.
/// </remarks>
internal static class PatternParser
{
    private const int NonBacktrackingOption = 1024; // RegexOptions.NonBacktracking (.NET 7+), absent from netstandard2.0

    /// <summary>Checks <paramref name="pattern"/>; returns an error message or null.</summary>
    public static string? Validate(string pattern)
    {
        try
        {
            _ = new Regex(pattern);
        }
        catch (ArgumentException ex)
        {
            return "it is not a valid .NET regular expression (" + ex.Message + ")";
        }

        try
        {
            _ = new Regex(pattern, (RegexOptions)NonBacktrackingOption);
        }
        catch (NotSupportedException)
        {
            return "it uses a construct (backreference, lookaround, atomic group, …) that the ReDoS-safe NonBacktracking engine does not support";
        }
        catch (ArgumentOutOfRangeException)
        {
            // The compiler runs on a framework without NonBacktracking; the pattern was still checked above.
        }

        return null;
    }

    /// <summary>Parses a pattern into simple atoms, or returns a non-simple model.</summary>
    public static PatternModel Parse(string pattern, int timeoutMilliseconds)
    {
        var atoms = TryParseSimple(pattern);
        return atoms is null
            ? new PatternModel(pattern, timeoutMilliseconds, EquatableArray<PatternAtom>.Empty, false)
            : new PatternModel(pattern, timeoutMilliseconds, atoms.ToEquatableArray(), true);
    }

    internal static List<PatternAtom>? TryParseSimple(string pattern)
    {
        int i = 0;
        int end = pattern.Length;
        if (i < end && pattern[i] == '^')
        {
            i++;
        }

        if (end > i && pattern[end - 1] == '$' && !IsEscaped(pattern, end - 1))
        {
            end--;
        }

        var atoms = new List<PatternAtom>();
        while (i < end)
        {
            int start = i;
            if (!TryParseSet(pattern, ref i, end, out var ranges, out bool negated, out bool digits))
            {
                return null;
            }

            int min = 1, max = 1;
            if (i < end)
            {
                char q = pattern[i];
                if (q == '?') { min = 0; max = 1; i++; }
                else if (q == '*') { min = 0; max = -1; i++; }
                else if (q == '+') { min = 1; max = -1; i++; }
                else if (q == '{')
                {
                    if (!TryParseBraces(pattern, ref i, end, out min, out max))
                    {
                        return null;
                    }
                }

                // Lazy or possessive forms change which match is found first.
                if (i < end && (pattern[i] == '?' || pattern[i] == '+') && q is '?' or '*' or '+' or '{')
                {
                    return null;
                }
            }

            atoms.Add(new PatternAtom(ranges.ToEquatableArray(), negated, digits, min, max, pattern.Substring(start, i - start)));
        }

        return atoms.Count > 0 && IsGreedySafe(atoms) ? atoms : null;
    }

    private static bool IsEscaped(string pattern, int index)
    {
        int backslashes = 0;
        for (int j = index - 1; j >= 0 && pattern[j] == '\\'; j--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }

    private static bool TryParseBraces(string p, ref int i, int end, out int min, out int max)
    {
        min = max = 0;
        int close = p.IndexOf('}', i);
        if (close < 0 || close >= end)
        {
            return false;
        }

        string body = p.Substring(i + 1, close - i - 1);
        // .NET reads '{' as a quantifier only for {n}, {n,} and {n,m} with bare digits; anything
        // else ({ 2}, {+2}, {1, 3}) is literal text, which the span compiler does not attempt.
        foreach (char c in body)
        {
            if (!(c >= '0' && c <= '9') && c != ',')
            {
                return false;
            }
        }

        int comma = body.IndexOf(',');
        if (comma < 0)
        {
            if (!int.TryParse(body, out min) || min > 10000)
            {
                return false;
            }

            max = min;
        }
        else
        {
            if (!int.TryParse(body.Substring(0, comma), out min) || min > 10000)
            {
                return false;
            }

            string upper = body.Substring(comma + 1);
            if (upper.Length == 0)
            {
                max = -1;
            }
            else if (!int.TryParse(upper, out max) || max < min || max > 10000)
            {
                return false;
            }
        }

        i = close + 1;
        return true;
    }

    private static bool TryParseSet(string p, ref int i, int end, out List<CharRange> ranges, out bool negated, out bool digits)
    {
        ranges = new List<CharRange>();
        negated = false;
        digits = false;
        char c = p[i];
        switch (c)
        {
            case '[':
                return TryParseClass(p, ref i, end, ranges, out negated, out digits);
            case '.':
                // '.' is any character but '\n'.
                ranges.Add(new CharRange('\n', '\n'));
                negated = true;
                i++;
                return true;
            case '\\':
                if (i + 1 >= end || !TryEscape(p[i + 1], ranges, ref digits))
                {
                    return false;
                }

                i += 2;
                return true;
            case '(': case ')': case '|': case '*': case '+': case '?': case '{': case '}': case '^': case '$': case ']':
                return false;
            default:
                ranges.Add(new CharRange(c, c));
                i++;
                return true;
        }
    }

    private static bool TryEscape(char e, List<CharRange> ranges, ref bool digits)
    {
        if (e == 'd')
        {
            digits = true;
            return true;
        }

        // Escaped punctuation stands for itself; letters and digits are classes or backreferences.
        if (e < 128 && !char.IsLetterOrDigit(e) && e != ' ')
        {
            ranges.Add(new CharRange(e, e));
            return true;
        }

        return false;
    }

    private static bool TryParseClass(string p, ref int i, int end, List<CharRange> ranges, out bool negated, out bool digits)
    {
        negated = false;
        digits = false;
        int j = i + 1;
        if (j < end && p[j] == '^')
        {
            negated = true;
            j++;
        }

        bool first = true;
        while (j < end && (p[j] != ']' || first))
        {
            first = false;
            if (!TryClassChar(p, ref j, end, ranges, ref digits, out char low, out bool isSingle))
            {
                return false;
            }

            if (isSingle && j + 1 < end && p[j] == '-' && p[j + 1] != ']')
            {
                j++;
                if (!TryClassChar(p, ref j, end, ranges, ref digits, out char high, out bool highSingle) || !highSingle || high < low)
                {
                    return false;
                }

                ranges.Add(new CharRange(low, high));
            }
            else if (isSingle)
            {
                ranges.Add(new CharRange(low, low));
            }
        }

        if (j >= end || p[j] != ']' || (negated && digits) || (ranges.Count == 0 && !digits))
        {
            return false;
        }

        i = j + 1;
        return true;
    }

    private static bool TryClassChar(string p, ref int j, int end, List<CharRange> ranges, ref bool digits, out char value, out bool isSingle)
    {
        value = p[j];
        isSingle = true;
        if (value == '[')
        {
            return false; // subtraction and POSIX-like syntax
        }

        if (value != '\\')
        {
            j++;
            return true;
        }

        if (j + 1 >= end)
        {
            return false;
        }

        char e = p[j + 1];
        j += 2;
        if (e == 'd')
        {
            digits = true;
            isSingle = false;
            return true;
        }

        if (e < 128 && !char.IsLetterOrDigit(e) && e != ' ')
        {
            value = e;
            return true;
        }

        return false;
    }

    private static bool IsGreedySafe(List<PatternAtom> atoms)
    {
        for (int k = 0; k < atoms.Count; k++)
        {
            if (atoms[k].Min == atoms[k].Max)
            {
                continue;
            }

            for (int j = k + 1; j < atoms.Count; j++)
            {
                if (MayOverlap(atoms[k], atoms[j]))
                {
                    return false;
                }

                if (atoms[j].Min > 0)
                {
                    break;
                }
            }
        }

        return true;
    }

    // Conservative: true unless the two sets are certainly disjoint.
    private static bool MayOverlap(PatternAtom a, PatternAtom b)
    {
        if (a.Negated || b.Negated)
        {
            if (a.Negated && b.Negated)
            {
                return true;
            }

            var positive = a.Negated ? b : a;
            var negative = a.Negated ? a : b;
            if (positive.UnicodeDigits)
            {
                return true;
            }

            // Disjoint only if every character of the positive set is excluded by the negated one.
            foreach (var r in positive.Ranges)
            {
                for (int ch = r.First; ch <= r.Last; ch++)
                {
                    if (!InRanges(negative.Ranges, (char)ch))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        if (a.UnicodeDigits && b.UnicodeDigits)
        {
            return true;
        }

        if (a.UnicodeDigits || b.UnicodeDigits)
        {
            var other = a.UnicodeDigits ? b : a;
            foreach (var r in other.Ranges)
            {
                // ASCII digits, or anything from the first non-ASCII decimal digit (U+0660) up.
                if ((r.First <= '9' && r.Last >= '0') || r.Last >= '\u0660')
                {
                    return true;
                }
            }
        }

        foreach (var x in a.Ranges)
        {
            foreach (var y in b.Ranges)
            {
                if (x.First <= y.Last && y.First <= x.Last)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool InRanges(EquatableArray<CharRange> ranges, char c)
    {
        foreach (var r in ranges)
        {
            if (c >= r.First && c <= r.Last)
            {
                return true;
            }
        }

        return false;
    }
}
