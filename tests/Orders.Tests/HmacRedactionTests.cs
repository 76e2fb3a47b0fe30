using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Compliance.Redaction;
using Rampart;
using Rampart.Logging;
using Xunit;

namespace Orders.Tests;

/// <summary>
/// With an HMAC redactor registered for <see cref="RampartTaxonomy.Sensitive"/>, equal sensitive values
/// correlate in the request log (same digest) without ever appearing in it.
/// </summary>
public sealed class HmacRedactionTests
{
    [Fact]
    public async Task Equal_sensitive_values_get_equal_digests_and_never_appear()
    {
        var ct = TestContext.Current.CancellationToken;
        var logs = new ConcurrentQueue<IReadOnlyList<KeyValuePair<string, object?>>>();
        byte[] key = new byte[64];
        Random.Shared.NextBytes(key);
        using var factory = new OrdersFactory().WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
#pragma warning disable EXTEXP0002 // the HMAC redactor is marked experimental by its package
            services.AddRedaction(redaction => redaction.SetHmacRedactor(
                o =>
                {
                    o.KeyId = 7;
                    o.Key = Convert.ToBase64String(key);
                },
                new Microsoft.Extensions.Compliance.Classification.DataClassificationSet(RampartTaxonomy.Sensitive)));
#pragma warning restore EXTEXP0002
            services.AddLogging(logging => logging.AddProvider(new StateCapture(logs)));
        }));
        using var client = factory.CreateClient().WithToken(factory.Services, "alice", TestTokens.OrdersUser);
        foreach (string note in new[] { "leave it with Kim", "leave it with Kim", "ring twice" })
        {
            using var response = await client.PostAsync("/api/v1/orders", new StringContent($$"""{"productId":"HMAC0001","quantity":1,"note":"{{note}}"}""", Encoding.UTF8, "application/json"), ct);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }

        var notes = logs
            .Select(state => state.First(p => p.Key == "parameters").Value as string)
            .Where(json => json is not null && json.Contains("HMAC0001", StringComparison.Ordinal))
            .Select(json => JsonDocument.Parse(json!).RootElement.GetProperty("note").GetString()!)
            .ToList();
        Assert.Equal(3, notes.Count);
        Assert.Equal(notes[0], notes[1]);
        Assert.NotEqual(notes[0], notes[2]);
        Assert.All(notes, n => Assert.DoesNotContain("Kim", n));
        Assert.All(notes, n => Assert.NotEqual("[redacted]", n));
    }

    private sealed class StateCapture(ConcurrentQueue<IReadOnlyList<KeyValuePair<string, object?>>> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(logs, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<IReadOnlyList<KeyValuePair<string, object?>>> logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (category == RequestLog.Category && state is IReadOnlyList<KeyValuePair<string, object?>> pairs)
                {
                    logs.Enqueue(pairs.ToList());
                }
            }
        }
    }
}
