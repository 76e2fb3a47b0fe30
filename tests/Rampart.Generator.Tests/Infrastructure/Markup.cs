using System;
using Microsoft.CodeAnalysis.Text;

namespace Rampart.Generator.Tests.Infrastructure;

/// <summary>Source with one span marked <c>[|like this|]</c>, where a diagnostic is expected.</summary>
public sealed record Markup(string Source, TextSpan? Span)
{
    public static Markup Parse(string markup)
    {
        markup = markup.ReplaceLineEndings("\n");
        int start = markup.IndexOf("[|", StringComparison.Ordinal);
        if (start < 0)
        {
            return new Markup(markup, null);
        }

        int end = markup.IndexOf("|]", start, StringComparison.Ordinal);
        if (end < 0 || markup.IndexOf("[|", start + 2, StringComparison.Ordinal) >= 0)
        {
            throw new ArgumentException("Markup must contain exactly one [| |] span.", nameof(markup));
        }

        string source = markup.Substring(0, start) + markup.Substring(start + 2, end - start - 2) + markup.Substring(end + 2);
        return new Markup(source, TextSpan.FromBounds(start, end - 2));
    }

    /// <summary>The 0-based line of the span's start.</summary>
    public int Line => Span is { } s ? CountLines(Source, s.Start) : throw new InvalidOperationException("No span.");

    /// <summary>The 0-based column of the span's start.</summary>
    public int Column => Span is { } s ? s.Start - (Source.LastIndexOf('\n', Math.Max(0, s.Start - 1)) + 1) : throw new InvalidOperationException("No span.");

    private static int CountLines(string text, int position)
    {
        int line = 0;
        for (int i = 0; i < position; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}
