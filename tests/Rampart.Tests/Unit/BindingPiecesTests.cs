using System;
using System.Buffers;
using System.Linq;
using System.Text;
using System.Text.Json;
using Rampart.Binding;
using Xunit;

namespace Rampart.Tests.Unit;

public sealed class BindingErrorTests
{
    [Fact]
    public void Invalid_is_a_400_at_the_current_value()
    {
        var error = BindingError.Invalid("m");

        Assert.Equal(400, error.Status);
        Assert.Equal(string.Empty, error.Path);
        Assert.Equal("m", error.Message);
    }

    [Fact]
    public void Under_builds_paths_from_the_inside_out()
    {
        var error = BindingError.Invalid("m").Under("quantity").Under(2).Under("items");

        Assert.Equal("items[2].quantity", error.Path);
        Assert.Equal(400, error.Status);
        Assert.Equal("m", error.Message);
    }

    [Theory]
    [InlineData("", "a", "a")]
    [InlineData("b", "a", "a.b")]
    [InlineData("[3]", "a", "a[3]")]
    [InlineData("[3].c", "a", "a[3].c")]
    [InlineData("b.c", "a", "a.b.c")]
    public void Under_member(string inner, string name, string expected) =>
        Assert.Equal(expected, new BindingError(400, inner, "m").Under(name).Path);

    [Theory]
    [InlineData("", 0, "[0]")]
    [InlineData("b", 1, "[1].b")]
    [InlineData("[2]", 1, "[1][2]")]
    [InlineData("", 1234567, "[1234567]")]
    public void Under_index(string inner, int index, string expected) =>
        Assert.Equal(expected, new BindingError(400, inner, "m").Under(index).Path);

    [Fact]
    public void Under_keeps_the_status()
    {
        var error = new BindingError(413, string.Empty, "big").Under("a").Under(0);

        Assert.Equal(413, error.Status);
        Assert.Equal("[0].a", error.Path);
    }

    [Fact]
    public void Messages_never_have_placeholders_for_input()
    {
        var messages = typeof(BindingMessages).GetFields().Select(f => (string)f.GetValue(null)!).ToArray();

        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.DoesNotContain("{", m, StringComparison.Ordinal));
        Assert.Equal(messages.Length, messages.Distinct().Count());
    }
}

public sealed class ArrayBuilderTests
{
    [Fact]
    public void Empty_builder_gives_empty_results()
    {
        var builder = new ArrayBuilder<int>();

        Assert.Equal(0, builder.Count);
        Assert.Same(Array.Empty<int>(), builder.ToArray());
        var list = builder.ToList();
        Assert.Empty(list);
        builder.Dispose();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(1000)]
    public void Items_keep_their_order_across_growth(int count)
    {
        var builder = new ArrayBuilder<string>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                builder.Add("s" + i);
            }

            var array = builder.ToArray();
            var list = builder.ToList();

            Assert.Equal(count, builder.Count);
            Assert.Equal(count, array.Length);
            Assert.Equal(Enumerable.Range(0, count).Select(i => "s" + i), array);
            Assert.Equal(array, list);
            Assert.Equal(count, list.Capacity);
        }
        finally
        {
            builder.Dispose();
        }
    }

    [Fact]
    public void Results_are_copies_independent_of_the_pooled_buffer()
    {
        var builder = new ArrayBuilder<int>();
        builder.Add(1);
        builder.Add(2);
        var first = builder.ToArray();
        builder.Add(3);
        var second = builder.ToArray();
        builder.Dispose();

        Assert.Equal(new[] { 1, 2 }, first);
        Assert.Equal(new[] { 1, 2, 3 }, second);
    }

    [Fact]
    public void Dispose_resets_and_is_idempotent()
    {
        var builder = new ArrayBuilder<int>();
        builder.Add(1);
        builder.Dispose();
        builder.Dispose();

        Assert.Equal(0, builder.Count);
        Assert.Empty(builder.ToArray());
        builder.Add(5);
        Assert.Equal(new[] { 5 }, builder.ToArray());
        builder.Dispose();
    }

    [Fact]
    public void Returned_buffers_do_not_keep_references_alive()
    {
        // Look at the pooled buffer itself: after Dispose it must hold no request strings.
        var builder = new ArrayBuilder<string>();
        for (int i = 0; i < 20; i++)
        {
            builder.Add("secret" + i);
        }

        IDisposable boxed = builder;
        var field = typeof(ArrayBuilder<string>).GetField("_items", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        var buffer = (string?[])field.GetValue(boxed)!;
        Assert.Contains("secret19", buffer);

        boxed.Dispose();

        Assert.All(buffer, s => Assert.Null(s));
        Assert.Null(field.GetValue(boxed));
    }
}

public sealed class JsonReadTests
{
    private static Utf8JsonReader ReaderAt(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = 8 });
        Assert.True(reader.Read());
        return reader;
    }

    private static (bool Ok, string Value, BindingError Error) ReadString(string jsonValue, int max)
    {
        var reader = ReaderAt(jsonValue);
        bool ok = JsonRead.String(ref reader, max, out string value, out var error);
        return (ok, value, error);
    }

    public static TheoryData<string, int, string?> StringCases => new()
    {
        // JSON value, max, expected string (null = too long)
        { "\"\"", 0, "" },
        { "\"a\"", 0, null },
        { "\"a\"", 1, "a" },
        { "\"ab\"", 1, null },
        { "\"\\u0041\"", 1, "A" },                 // 6 bytes, 1 char: decoded and fits
        { "\"\\u0041\\u0042\"", 1, null },          // 12 bytes > 6 * 1: refused before decoding
        { "\"\\u0041b\"", 1, null },                // 7 bytes, 2 chars
        { "\"é\"", 1, "é" },                        // 2 bytes, 1 char
        { "\"éé\"", 1, null },
        { "\"😀\"", 2, "😀" },                      // 4 bytes, 2 UTF-16 chars
        { "\"😀\"", 1, null },
        { "\"\\ud83d\\ude00\"", 2, "😀" },          // 12 bytes = 6 * 2
        { "\"\\ud83d\\ude00\"", 1, null },
        { "\"日本\"", 2, "日本" },                  // 6 bytes, 2 chars
        { "\"日本語\"", 2, null },
        { "\"\\\\\\\\\"", 2, "\\\\" },
        { "\"\\n\\n\\n\"", 3, "\n\n\n" },
        { "\"\\n\\n\\n\\n\"", 3, null },
    };

    [Theory]
    [MemberData(nameof(StringCases))]
    public void String_maximum_is_in_utf16_characters(string json, int max, string? expected)
    {
        var (ok, value, error) = ReadString(json, max);

        if (expected is null)
        {
            Assert.False(ok);
            Assert.Equal(BindingMessages.StringTooLong, error.Message);
            Assert.Equal(400, error.Status);
            Assert.Equal(string.Empty, value);
        }
        else
        {
            Assert.True(ok, error.Message);
            Assert.Equal(expected, value);
        }
    }

    [Fact]
    public void String_boundary_sweep_matches_a_decode_then_count_reference()
    {
        // Mixed ASCII, 2-, 3- and 4-byte UTF-8 and escapes around every maximum from 0 to 12.
        string[] pieces = { "a", "é", "日", "😀", "\\u00e9", "\\n", "\\ud83d\\ude00", "\\\"" };
        var random = new Random(1234);
        for (int n = 0; n < 2000; n++)
        {
            var sb = new StringBuilder("\"");
            int count = random.Next(0, 10);
            for (int i = 0; i < count; i++)
            {
                sb.Append(pieces[random.Next(pieces.Length)]);
            }

            sb.Append('"');
            string json = sb.ToString();
            string decoded = JsonSerializer.Deserialize<string>(json)!;
            for (int max = Math.Max(0, decoded.Length - 2); max <= decoded.Length + 2; max++)
            {
                var (ok, value, _) = ReadString(json, max);
                Assert.True(ok == (decoded.Length <= max), $"{json} max {max}");
                if (ok)
                {
                    Assert.Equal(decoded, value);
                }
            }
        }
    }

    [Theory]
    [InlineData("null", BindingMessages.NotNull)]
    [InlineData("1", BindingMessages.ExpectedString)]
    [InlineData("true", BindingMessages.ExpectedString)]
    [InlineData("{}", BindingMessages.ExpectedString)]
    [InlineData("[]", BindingMessages.ExpectedString)]
    public void String_refuses_other_tokens(string json, string message)
    {
        var (ok, _, error) = ReadString(json, 10);

        Assert.False(ok);
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("0", true, 0)]
    [InlineData("-2147483648", true, int.MinValue)]
    [InlineData("2147483647", true, int.MaxValue)]
    [InlineData("2147483648", false, 0)]
    [InlineData("1.0", false, 0)]
    [InlineData("1e0", false, 0)]
    [InlineData("\"1\"", false, 0)]
    public void Int32_is_strict(string json, bool ok, int expected)
    {
        var reader = ReaderAt(json);

        Assert.Equal(ok, JsonRead.Int32(ref reader, out int value, out var error));
        Assert.Equal(expected, value);
        if (!ok)
        {
            Assert.Equal(BindingMessages.ExpectedInt32, error.Message);
        }
    }

    [Theory]
    [InlineData("1e308", true)]
    [InlineData("1e309", false)]
    [InlineData("-1e309", false)]
    [InlineData("5e-324", true)]
    [InlineData("1e-400", true)]
    public void Double_must_be_finite(string json, bool ok)
    {
        var reader = ReaderAt(json);

        Assert.Equal(ok, JsonRead.Double(ref reader, out double value, out _));
        Assert.True(double.IsFinite(value));
    }

    [Theory]
    [InlineData("\"6f9619ff-8b86-d011-b42d-00cf4fc964ff\"", true)]
    [InlineData("\"6F9619FF-8B86-D011-B42D-00CF4FC964FF\"", true)]
    [InlineData("\"6f9619ff8b86d011b42d00cf4fc964ff\"", false)]
    [InlineData("\"(6f9619ff-8b86-d011-b42d-00cf4fc964ff)\"", false)]
    [InlineData("\" 6f9619ff-8b86-d011-b42d-00cf4fc964ff\"", false)]
    public void Guid_is_the_D_format(string json, bool ok)
    {
        var reader = ReaderAt(json);

        Assert.Equal(ok, JsonRead.Guid(ref reader, out _, out _));
    }

    [Theory]
    [InlineData("\"short\"", "short")]
    [InlineData("\"a_b-C9\"", "a_b-C9")]
    [InlineData("\"a.b\"", "$unknown")]
    [InlineData("\"\"", "$unknown")]
    [InlineData("\"<x>\"", "$unknown")]
    [InlineData("\"\\u0061\"", "$unknown")]
    [InlineData("\"é\"", "$unknown")]
    public void UnknownProperty_reports_only_short_identifiers(string name, string expected)
    {
        var reader = ReaderAt("{" + name + ":1}");
        Assert.True(reader.Read());

        var error = JsonRead.UnknownProperty(ref reader);

        Assert.Equal(expected, error.Path);
        Assert.Equal(BindingMessages.UnknownProperty, error.Message);
    }

    [Fact]
    public void UnknownProperty_refuses_names_longer_than_64()
    {
        var reader = ReaderAt("{\"" + new string('a', 65) + "\":1}");
        Assert.True(reader.Read());

        Assert.Equal("$unknown", JsonRead.UnknownProperty(ref reader).Path);
    }
}
