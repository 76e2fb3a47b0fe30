using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.Logging;

namespace Rampart.Hosting;

/// <summary>
/// Request timeouts with the semantics of ASP.NET Core's <c>UseRequestTimeouts()</c> and its default policy (the
/// one <c>AddRampart()</c> configures from <see cref="RampartOptions.RequestTimeout"/>): the request's
/// <see cref="HttpContext.RequestAborted"/> is replaced by a token cancelled when the client goes away or the
/// timeout passes; if the endpoint then fails with an <see cref="OperationCanceledException"/> before anything
/// was sent, the response is cleared and given the policy's status (503; the problem details middleware writes
/// the body). <see cref="IHttpRequestTimeoutFeature"/> is set as there, so <c>DisableTimeout()</c> works.
/// <para>
/// For generated endpoints without timeout metadata of their own, the cancellation source, its timer and the
/// feature are pooled (<see cref="CancellationTokenSource.TryReset"/>, as Kestrel does with its own
/// <c>RequestAborted</c> source) instead of a linked source, a timer and a feature per request (~420 B). Every
/// other request — endpoints mapped outside Rampart, endpoints with <c>WithRequestTimeout</c> or
/// <c>DisableRequestTimeout</c>, no endpoint, a debugger attached — goes through ASP.NET Core's middleware
/// unchanged. As with Kestrel's token, a token must not be used after its request has ended.
/// </para>
/// </summary>
internal sealed partial class RequestTimeoutMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RequestDelegate _aspNetCore;
    private readonly RequestTimeoutPolicy? _policy;
    private readonly long _timeoutTicks;
    private readonly ILogger _logger;
    private readonly Pool _pool = new();

    public RequestTimeoutMiddleware(RequestDelegate next, RequestDelegate aspNetCore, RequestTimeoutOptions options, ILogger<RequestTimeoutMiddleware> logger)
    {
        _next = next;
        _aspNetCore = aspNetCore;
        _logger = logger;
        if (options.DefaultPolicy is { Timeout: { } timeout } policy && timeout > TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            _policy = policy;
            _timeoutTicks = timeout.Ticks;
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (_policy is null
            || endpoint is null
            || endpoint.Metadata.GetMetadata<SecureEndpointMetadata>() is null
            || endpoint.Metadata.GetMetadata<RequestTimeoutAttribute>() is not null
            || endpoint.Metadata.GetMetadata<RequestTimeoutPolicy>() is not null
            || endpoint.Metadata.GetMetadata<DisableRequestTimeoutAttribute>() is not null
            || Debugger.IsAttached)
        {
            return _aspNetCore(context);
        }

        return InvokeWithTimeoutAsync(context, _policy);
    }

    private async Task InvokeWithTimeoutAsync(HttpContext context, RequestTimeoutPolicy policy)
    {
        CancellationToken original = context.RequestAborted;
        Scope scope = _pool.Rent();
        long started = Stopwatch.GetTimestamp();
        scope.Source.CancelAfter(TimeSpan.FromTicks(_timeoutTicks));
        // The client going away cancels the handler's token too (a linked source without the allocation).
        CancellationTokenRegistration link = original.UnsafeRegister(static state => ((Scope)state!).Cancel(), scope);
        context.RequestAborted = scope.Source.Token;
        context.Features.Set<IHttpRequestTimeoutFeature>(scope);
        try
        {
            await _next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (scope.Source.IsCancellationRequested && !original.IsCancellationRequested)
        {
            if (context.Response.HasStarted)
            {
                throw;
            }

            LogTimedOut(_logger, ex);
            context.Response.Clear();
            context.Response.StatusCode = policy.TimeoutStatusCode ?? StatusCodes.Status504GatewayTimeout;
            if (policy.WriteTimeoutResponse is { } write)
            {
                await write(context).ConfigureAwait(false);
            }
        }
        finally
        {
            link.Dispose();
            context.RequestAborted = original;
            context.Features.Set<IHttpRequestTimeoutFeature>(null);
            // A source whose timer may be about to fire is not reused (its late cancellation would hit the next request).
            bool reusable = Stopwatch.GetElapsedTime(started).Ticks < _timeoutTicks / 2;
            _pool.Return(scope, reusable);
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Warning, Message = "The request timed out before a response was sent")]
    private static partial void LogTimedOut(ILogger logger, Exception exception);

    /// <summary>A pooled cancellation source, and the request's timeout feature.</summary>
    private sealed class Scope : IHttpRequestTimeoutFeature
    {
        public CancellationTokenSource Source { get; private set; } = new();

        public CancellationToken RequestTimeoutToken => Source.Token;

        public void DisableTimeout() => Source.CancelAfter(Timeout.Infinite);

        public void Cancel()
        {
            try
            {
                Source.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The request already ended.
            }
        }

        // False when the source was cancelled (or its timer could not be stopped): then it gets a fresh one.
        public bool TryReset(bool reusable)
        {
            if (reusable && Source.TryReset())
            {
                return true;
            }

            Source.Dispose();
            Source = new CancellationTokenSource();
            return false;
        }
    }

    /// <summary>A small lock-free pool; when it is empty or full, scopes are created or dropped.</summary>
    private sealed class Pool
    {
        private readonly Scope?[] _items = new Scope?[Math.Clamp(Environment.ProcessorCount * 8, 16, 1024)];

        public Scope Rent()
        {
            var items = _items;
            for (int i = 0; i < items.Length; i++)
            {
                Scope? item = items[i];
                if (item is not null && Interlocked.CompareExchange(ref items[i], null, item) == item)
                {
                    return item;
                }
            }

            return new Scope();
        }

        public void Return(Scope scope, bool reusable)
        {
            scope.TryReset(reusable);
            var items = _items;
            for (int i = 0; i < items.Length; i++)
            {
                if (Interlocked.CompareExchange(ref items[i], scope, null) is null)
                {
                    return;
                }
            }

            scope.Source.Dispose();
        }
    }
}
