using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Rampart.Logging;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Http;

/// <summary>Classified members are redacted wherever they sit: nested records, list items, top level.</summary>
public sealed class RequestLogRedactionTests
{
    private const string Canary = "4111111111111111";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Nested_and_listed_secrets_are_redacted_whether_the_request_passes_or_fails(bool valid)
    {
        var ct = TestContext.Current.CancellationToken;
        var states = new ConcurrentQueue<IReadOnlyList<KeyValuePair<string, object?>>>();
        var builder = TestApp.CreateBuilder(null, out _);
        builder.Logging.AddProvider(new StateCapture(states));
        builder.AddRampart(o =>
        {
            TestApp.SmallLimits(o);
            o.RateLimitPartition = TestApp.EachRequestAlone;
        });
        await using var app = builder.Build();
        app.UseRampart();
        app.MapRampartEndpoints();
        await app.StartAsync(ct);
        using var client = TestApp.CreateClient(app);

        string reference = valid ? "R-1" : new string('r', 20) + "x"; // 21 characters fail binding
        string body = $$"""{"reference":"{{reference}}","card":{"number":"{{Canary}}","holder":"Ada"},"backups":[{"number":"{{Canary}}","holder":"Bob"}],"pin":"1234"}""";
        using var response = await client.PostAsync("/sink/payments", new StringContent(body, Encoding.UTF8, "application/json"), ct);
        Assert.Equal(valid ? 204 : 400, (int)response.StatusCode);

        var entry = Assert.Single(states);
        string? parameters = entry.First(p => p.Key == "parameters").Value as string;
        if (!valid)
        {
            Assert.Null(parameters); // nothing was bound, so nothing is logged
            return;
        }

        Assert.NotNull(parameters);
        Assert.DoesNotContain(Canary, parameters);
        Assert.DoesNotContain("1234", parameters);
        using var json = JsonDocument.Parse(parameters!);
        var root = json.RootElement;
        Assert.Equal("R-1", root.GetProperty("reference").GetString());
        Assert.Equal("[redacted]", root.GetProperty("card").GetProperty("number").GetString());
        Assert.Equal("Ada", root.GetProperty("card").GetProperty("holder").GetString());
        Assert.Equal("[redacted]", root.GetProperty("backups")[0].GetProperty("number").GetString());
        Assert.Equal("[redacted]", root.GetProperty("pin").GetString());
    }

    private sealed class StateCapture(ConcurrentQueue<IReadOnlyList<KeyValuePair<string, object?>>> states) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(states, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<IReadOnlyList<KeyValuePair<string, object?>>> states, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (category == RequestLog.Category && state is IReadOnlyList<KeyValuePair<string, object?>> pairs)
                {
                    states.Enqueue(pairs.ToList());
                }
            }
        }
    }
}
