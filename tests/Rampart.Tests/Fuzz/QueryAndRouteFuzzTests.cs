using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Fuzz;

/// <summary>Hostile query strings and route values: 4xx problems or the endpoint's result, never a 5xx or an error log.</summary>
public sealed class QueryAndRouteFuzzTests
{
    private const int Count = 4000;

    private static readonly string[] Keys = { "q", "limit", "exact", "after", "minPrice", "ratio", "ref", "since", "color", "Q", "x", "", "q[]", "%00", "q%20", "__proto__" };

    private static readonly string[] Values =
    {
        "", "a", "abc123", "%00", "%FF", "%C3%28", "%ED%A0%80", "1", "-1", "0", "51", "2147483648", "99999999999999999999", "1e400", "NaN", "true", "TRUE", "yes",
        "6f9619ff-8b86-d011-b42d-00cf4fc964ff", "2024-01-02T03%3A04%3A05Z", "Red", "red", "%3Cscript%3E", "a%20b", "%E2%80%A8", "%F0%9F%98%80", "..%2F..%2F",
    };

    private static readonly string[] Routes =
    {
        "/sink/int/{0}", "/sink/long/{0}", "/sink/guid/{0}", "/sink/str/{0}",
    };

    private static string RandomValue(Random r) => r.Next(4) == 0
        ? new string((char)r.Next('a', 'z' + 1), r.Next(0, 40))
        : Values[r.Next(Values.Length)];

    private static IEnumerable<string> Generate(Random r)
    {
        while (true)
        {
            if (r.Next(3) == 0)
            {
                // NUL in the path is refused by the test client itself (Kestrel answers 400 before routing), so it is only fuzzed in the query.
                string segment = RandomValue(r).Replace("%00", "%01", StringComparison.Ordinal);
                yield return string.Format(System.Globalization.CultureInfo.InvariantCulture, Routes[r.Next(Routes.Length)], segment) + (r.Next(5) == 0 ? "?" + Keys[r.Next(Keys.Length)] + "=" + RandomValue(r) : string.Empty);
                continue;
            }

            var sb = new StringBuilder("/sink/search?");
            int pairs = r.Next(0, 5);
            for (int i = 0; i < pairs; i++)
            {
                sb.Append(i == 0 ? string.Empty : "&").Append(Keys[r.Next(Keys.Length)]).Append('=').Append(RandomValue(r));
            }

            if (r.Next(2) == 0)
            {
                sb.Append("&q=").Append(RandomValue(r));
            }

            yield return sb.ToString();
        }
    }

    [Fact]
    public async Task Hostile_query_strings_and_route_values_get_4xx_problems_or_results()
    {
        await using var app = await TestApp.StartAsync();
        var paths = Generate(new Random(99)).Take(Count).ToList();
        var statuses = new Dictionary<int, int>();
        var failures = new List<string>();

        foreach (string path in paths)
        {
            var reply = await app.Client.GetReplyAsync(path);
            statuses[reply.Status] = statuses.GetValueOrDefault(reply.Status) + 1;
            bool ok = reply.Status switch
            {
                >= 500 => false,
                >= 400 => reply.MediaType == ProblemAssert.ProblemJson && reply.Json().GetProperty("status").GetInt32() == reply.Status,
                200 => reply.MediaType == "application/json" && reply.Json().ValueKind == System.Text.Json.JsonValueKind.Object,
                _ => false,
            };
            if (!ok && failures.Count < 10)
            {
                failures.Add(path + " -> " + reply);
            }
        }

        string summary = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => s.Key + "=" + s.Value));
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + summary);
        Assert.Empty(app.Logs.ErrorsAndAbove);
        Assert.True(statuses.GetValueOrDefault(400) > Count / 2, summary);
        Assert.True(statuses.GetValueOrDefault(200) > 0, summary);
    }
}
