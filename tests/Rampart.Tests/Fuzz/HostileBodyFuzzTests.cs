using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Fuzz;

/// <summary>
/// Sends well over 10,000 deterministic malformed or hostile bodies through the TestServer: every
/// response must be a 4xx problem (or, for a mutation that stays valid, the endpoint's JSON result),
/// never a 5xx, and the host must log no error.
/// </summary>
public sealed class HostileBodyFuzzTests
{
    private const int Seed = 20260611;
    private const int BodyCount = 20_000;
    private const int Parallelism = 4;

    /// <summary>An endpoint under fuzz: its valid body, success status and a property its JSON result always has.</summary>
    private sealed record Target(string Method, string Path, string ValidBody, int SuccessStatus, string? ResultProperty);

    private static readonly Target[] Targets =
    {
        new("POST", "/sink/scalars", Bodies.Scalars(), 200, "text"),
        new("POST", "/sink/orders", Bodies.Order, 201, "customer"),
        new("POST", "/sink/orders", Bodies.MinimalOrder, 201, "customer"),
        new("POST", "/sink/rules", """{"title":"t","level":3,"nick":"Ada","sku":"ABCD1234","slug":"ab-12","pairs":"abcd","email":"a@b","homepage":"http://x","pair":["a","b"],"scores":[1],"min":1,"max":2}""", 200, "accepted"),
        new("POST", "/sink/tree", Bodies.Tree(5), 200, "depth"),
        new("PUT", "/sink/items/7", """{"name":"widget","stock":5}""", 200, "kind"),
        new("PUT", "/sink/pairs/7/6f9619ff-8b86-d011-b42d-00cf4fc964ff?tag=ab", """{"name":"n"}""", 200, "kind"),
        new("POST", "/sink/probe", """{"sku":"ABCD1234","pairs":"abab","email":"a@b","url":"https://x"}""", 204, null),
        new("POST", "/sink/ping", """{"note":"hi"}""", 204, null),
    };

    private sealed record Sample(Target Target, string Kind, byte[] Body, string ContentType);

    [Fact]
    public async Task Hostile_bodies_never_cause_a_5xx_an_unhandled_exception_or_an_error_log()
    {
        var samples = Generate(new Random(Seed)).Take(BodyCount).ToList();
        Assert.True(samples.Count >= 10_000);

        await using var app = await TestApp.StartAsync();
        var outcomes = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        var stopwatch = Stopwatch.StartNew();
        int next = -1;

        async Task Worker()
        {
            while (true)
            {
                int index = Interlocked.Increment(ref next);
                if (index >= samples.Count)
                {
                    return;
                }

                var sample = samples[index];
                string? problem = await Check(app.Client, sample);
                if (problem is not null)
                {
                    failures.Enqueue($"#{index} {sample.Kind} {sample.Target.Method} {sample.Target.Path} body={Preview(sample.Body)}: {problem}");
                }
            }
        }

        async Task<string?> Check(HttpClient client, Sample sample)
        {
            Reply reply;
            try
            {
                reply = await client.SendBytesAsync(new HttpMethod(sample.Target.Method), sample.Target.Path, sample.Body, sample.ContentType);
            }
            catch (Exception ex)
            {
                return "request threw " + ex.GetType().Name + ": " + ex.Message;
            }

            outcomes.AddOrUpdate(reply.Status.ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
            if (reply.Status >= 500)
            {
                return "5xx: " + reply.Text;
            }

            if (reply.Status is >= 400 and < 500)
            {
                if (reply.MediaType != ProblemAssert.ProblemJson)
                {
                    return "4xx without problem+json: " + reply;
                }

                try
                {
                    var json = reply.Json();
                    if (json.GetProperty("status").GetInt32() != reply.Status)
                    {
                        return "problem status differs: " + reply.Text;
                    }

                    if (reply.Status == 400 && json.GetProperty("errors").EnumerateObject().Any(p => p.Value.GetArrayLength() == 0))
                    {
                        return "empty error list: " + reply.Text;
                    }
                }
                catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
                {
                    return "unreadable problem body: " + reply.Text;
                }

                return null;
            }

            // A mutation may stay valid: then the response must be the endpoint's own result.
            if (reply.Status != sample.Target.SuccessStatus)
            {
                return "unexpected success status: " + reply;
            }

            if (sample.Target.ResultProperty is null)
            {
                return reply.Bytes.Length == 0 ? null : "204 with a body: " + reply;
            }

            if (reply.MediaType != "application/json")
            {
                return "success without application/json: " + reply;
            }

            try
            {
                return reply.Json().TryGetProperty(sample.Target.ResultProperty, out _) ? null : "result lacks " + sample.Target.ResultProperty + ": " + reply.Text;
            }
            catch (JsonException)
            {
                return "success with invalid JSON: " + reply.Text;
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Parallelism).Select(_ => Task.Run(Worker)));
        stopwatch.Stop();

        string summary = $"{samples.Count} bodies in {stopwatch.Elapsed.TotalSeconds:0.0} s; statuses: " +
            string.Join(", ", outcomes.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Key + "=" + o.Value)) +
            "; kinds: " + string.Join(", ", samples.GroupBy(s => s.Kind).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key + "=" + g.Count()));
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        Console.WriteLine("[fuzz] " + summary);

        Assert.True(failures.IsEmpty, $"{failures.Count} failures, first: {string.Join("\n", failures.Take(10))}\n{summary}");
        var errors = app.Logs.ErrorsAndAbove;
        Assert.True(errors.Count == 0, "error-level log entries: " + string.Join("\n", errors.Take(5)));

        // The corpus must exercise rejections of every kind and some surviving mutations.
        Assert.True(outcomes.GetValueOrDefault("400") > samples.Count / 2, summary);
        Assert.True(outcomes.GetValueOrDefault("413") > 0, summary);
        Assert.True(outcomes.GetValueOrDefault("415") > 0, summary);
        Assert.True(outcomes.Where(o => o.Key.StartsWith('2')).Sum(o => o.Value) > 0, summary);
    }

    // ---------------------------------------------------------------- generation

    private static readonly string[] HugeNumbers =
    {
        "1e400", "-1e400", "1e-400", "99999999999999999999", "-99999999999999999999", "123456789012345678901234567890.5",
        "79228162514264337593543950336", "9223372036854775808", "2147483648", "-2147483649", "1E+308", "0.0000000000000000000000000001",
        "1" + new string('0', 400), "-0", "0e0", "1.7976931348623157e309",
    };

    private static readonly string[] WrongValues =
    {
        "null", "true", "false", "0", "-1", "1.5", "\"\"", "\"x\"", "{}", "[]", "[null]", "{\"a\":1}", "[1,2,3]", "\"1\"", "\"true\"",
        "\"6f9619ff-8b86-d011-b42d-00cf4fc964ff\"", "\"2024-01-01T00:00:00Z\"", "\"Red\"", "\"NaN\"", "\"\\u0000\"",
    };

    private static readonly string[] ContentTypes =
    {
        "application/json", "application/json; charset=utf-8", "application/merge-patch+json", "text/plain", "application/json; charset=utf-16",
        "application/xml", "", "application/x-www-form-urlencoded",
    };

    private static IEnumerable<Sample> Generate(Random random)
    {
        var generators = new (string Kind, Func<Random, Target, byte[]> Make)[]
        {
            ("truncated", Truncated),
            ("wrong-type", WrongType),
            ("huge-number", HugeNumber),
            ("deep-nesting", DeepNesting),
            ("duplicate-key", DuplicateKey),
            ("invalid-utf8", InvalidUtf8),
            ("control-char", ControlCharacter),
            ("lone-surrogate", LoneSurrogate),
            ("long-string", LongString),
            ("random-bytes", RandomBytes),
            ("byte-mutation", ByteMutation),
            ("token-mutation", TokenMutation),
            ("unknown-key", UnknownKey),
            ("structural", Structural),
        };

        while (true)
        {
            var target = Targets[random.Next(Targets.Length)];
            var (kind, make) = generators[random.Next(generators.Length)];
            byte[] body = make(random, target);

            // Mostly JSON media types; sometimes a hostile or missing one.
            string contentType = random.NextDouble() < 0.93 ? "application/json" : ContentTypes[random.Next(ContentTypes.Length)];
            yield return new Sample(target, kind, body, contentType);
        }
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    private static byte[] Truncated(Random r, Target t)
    {
        byte[] valid = Utf8(t.ValidBody);
        return valid.AsSpan(0, r.Next(0, valid.Length)).ToArray();
    }

    /// <summary>The spans of the JSON values (not property names) of a valid body, by a light scan.</summary>
    private static List<(int Start, int Length)> ValueSpans(string json)
    {
        var spans = new List<(int, int)>();
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null)
            {
                int start = (int)reader.TokenStartIndex;
                int length = reader.TokenType == JsonTokenType.String ? reader.ValueSpan.Length + 2 : reader.ValueSpan.Length;
                bool isName = false;
                int after = start + length;
                while (after < bytes.Length && bytes[after] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
                {
                    after++;
                }

                if (after < bytes.Length && bytes[after] == (byte)':')
                {
                    isName = true;
                }

                if (!isName)
                {
                    spans.Add((start, length));
                }
            }
        }

        return spans;
    }

    private static byte[] ReplaceRandomValue(Random r, Target t, string replacement)
    {
        var spans = ValueSpans(t.ValidBody);
        byte[] bytes = Utf8(t.ValidBody);
        var (start, length) = spans[r.Next(spans.Count)];
        return bytes.AsSpan(0, start).ToArray().Concat(Utf8(replacement)).Concat(bytes.AsSpan(start + length).ToArray()).ToArray();
    }

    private static byte[] WrongType(Random r, Target t) => ReplaceRandomValue(r, t, WrongValues[r.Next(WrongValues.Length)]);

    private static byte[] HugeNumber(Random r, Target t) => ReplaceRandomValue(r, t, HugeNumbers[r.Next(HugeNumbers.Length)]);

    private static byte[] DeepNesting(Random r, Target t)
    {
        int depth = r.Next(5, 600);
        string open = r.Next(2) == 0 ? "[" : "{\"root\":";
        string close = open == "[" ? "]" : "}";
        string deep = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        return r.Next(3) == 0 ? Utf8(deep) : ReplaceRandomValue(r, t, deep);
    }

    private static byte[] DuplicateKey(Random r, Target t)
    {
        string body = t.ValidBody.Trim();
        int colon = body.IndexOf(':', StringComparison.Ordinal);
        int quoteEnd = body.LastIndexOf('"', colon);
        int quoteStart = body.LastIndexOf('"', quoteEnd - 1);
        string name = body.Substring(quoteStart, quoteEnd - quoteStart + 1);
        string value = WrongValues[r.Next(WrongValues.Length)];
        return Utf8(body[..^1] + "," + name + ":" + value + "}");
    }

    private static byte[] InvalidUtf8(Random r, Target t)
    {
        byte[][] bad = { new byte[] { 0xFF }, new byte[] { 0xC3 }, new byte[] { 0xC0, 0xAF }, new byte[] { 0xED, 0xA0, 0x80 }, new byte[] { 0xF4, 0x90, 0x80, 0x80 }, new byte[] { 0x80, 0x80 }, new byte[] { 0xE2, 0x82 } };
        byte[] bytes = Utf8(t.ValidBody);
        int at = r.Next(bytes.Length + 1);
        return bytes.AsSpan(0, at).ToArray().Concat(bad[r.Next(bad.Length)]).Concat(bytes.AsSpan(at).ToArray()).ToArray();
    }

    private static byte[] ControlCharacter(Random r, Target t)
    {
        // A raw control character inside a string value (invalid JSON) or escaped (valid JSON, hostile content).
        char c = (char)r.Next(0, 32);
        string replacement = r.Next(2) == 0 ? "\"a" + c + "b\"" : $"\"a\\u{(int)c:x4}b\"";
        return ReplaceRandomValue(r, t, replacement);
    }

    private static byte[] LoneSurrogate(Random r, Target t)
    {
        string[] escapes = { "\"\\ud800\"", "\"\\udfff\"", "\"a\\ud83d\"", "\"\\ude00\\ud83d\"", "\"\\ud83d\\u0041\"", "\"\\uDBFF\\uDFFF\"" };
        return ReplaceRandomValue(r, t, escapes[r.Next(escapes.Length)]);
    }

    private static byte[] LongString(Random r, Target t)
    {
        int length = r.Next(3) switch { 0 => r.Next(60, 70), 1 => r.Next(500, 3000), _ => r.Next(5000, 20000) };
        char fill = "aé日\\"[r.Next(4)];
        string content = fill == '\\' ? string.Concat(Enumerable.Repeat("\\u0041", length / 6 + 1)) : new string(fill, length);
        return ReplaceRandomValue(r, t, "\"" + content + "\"");
    }

    private static byte[] RandomBytes(Random r, Target t)
    {
        byte[] bytes = new byte[r.Next(0, 300)];
        r.NextBytes(bytes);
        if (bytes.Length > 0 && r.Next(2) == 0)
        {
            bytes[0] = (byte)'{';
        }

        return bytes;
    }

    private static byte[] ByteMutation(Random r, Target t)
    {
        var bytes = Utf8(t.ValidBody).ToList();
        int mutations = r.Next(1, 4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = r.Next(bytes.Count);
            switch (r.Next(5))
            {
                case 0: bytes[at] = (byte)r.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, (byte)"{}[]\",:0e-+.tfn\\ "[r.Next(17)]); break;
                case 3: bytes[at] ^= (byte)(1 << r.Next(8)); break;
                default:
                    int length = Math.Min(r.Next(1, 20), bytes.Count - at);
                    bytes.InsertRange(at, bytes.GetRange(at, length));
                    break;
            }
        }

        return bytes.ToArray();
    }

    private static byte[] TokenMutation(Random r, Target t)
    {
        string[] tokens = { "", ",", ":", "{", "}", "[", "]", "\"", "null", "1", "\"x\"", "//c", "/*c*/", "'x'", "NaN", "Infinity", "\\", " " };
        string body = t.ValidBody;
        int at = r.Next(body.Length + 1);
        int remove = r.Next(0, Math.Min(4, body.Length - at) + 1);
        return Utf8(body[..at] + tokens[r.Next(tokens.Length)] + body[(at + remove)..]);
    }

    private static byte[] UnknownKey(Random r, Target t)
    {
        string[] names = { "isAdmin", "__proto__", "constructor", "$type", "<script>", "a b", "\\u0000", "Text", "TEXT", "id", "", new string('k', 100) };
        string body = t.ValidBody.Trim();
        return Utf8(body[..^1] + ",\"" + names[r.Next(names.Length)] + "\":" + WrongValues[r.Next(WrongValues.Length)] + "}");
    }

    private static byte[] Structural(Random r, Target t)
    {
        string body = t.ValidBody;
        string[] variants =
        {
            "", " ", "null", "[]", "[" + body + "]", body + body, body + " " + body, body + "garbage", "\uFEFF" + body, body.Replace(",", ",,", StringComparison.Ordinal),
            body.Replace("\"", "'", StringComparison.Ordinal), body.TrimEnd('}') + ",}", "{" + body + "}", body.Replace(":", "=", StringComparison.Ordinal), "{\"a\":" + body + "}", body + "\u0000",
        };
        return Utf8(variants[r.Next(variants.Length)]);
    }

    private static string Preview(byte[] body)
    {
        string text = Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 160)));
        return DataAnnotationsParityTestsEscape(text) + (body.Length > 160 ? $"… ({body.Length} bytes)" : string.Empty);
    }

    private static string DataAnnotationsParityTestsEscape(string s) => Validation.DataAnnotationsParityTests.Escape(s);
}
