using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Timeouts;

namespace Rampart.Tests.Contracts;

/// <summary>What the timeout contracts saw, for the request timeout tests.</summary>
public static class TimeoutProbe
{
    /// <summary>Completed with the handler's token when <see cref="SlowWork"/> starts waiting.</summary>
    public static TaskCompletionSource<CancellationToken> Started { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completed when <see cref="SlowWork"/>'s token is cancelled.</summary>
    public static TaskCompletionSource Cancelled { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How long <see cref="PatientWork"/> waits after disabling its timeout.</summary>
    public static TimeSpan PatientDelay { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Resets the signals before a test.</summary>
    public static void Reset()
    {
        Started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        Cancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Waits on its token until it is cancelled (request timeout, client gone).</summary>
[SecureEndpoint("GET", "/sink/slow", AllowAnonymous = true, UseDefaultRateLimit = false)]
public sealed partial record SlowWork
{
    static async Task<NoContent> HandleAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(static () => TimeoutProbe.Cancelled.TrySetResult());
        TimeoutProbe.Started.TrySetResult(cancellationToken);
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return TypedResults.NoContent();
    }
}

/// <summary>Disables its request timeout through the feature, then takes longer than the timeout.</summary>
[SecureEndpoint("GET", "/sink/patient", AllowAnonymous = true, UseDefaultRateLimit = false)]
public sealed partial record PatientWork
{
    static async Task<NoContent> HandleAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var feature = context.Features.Get<IHttpRequestTimeoutFeature>() ?? throw new InvalidOperationException("No request timeout feature.");
        feature.DisableTimeout();
        await Task.Delay(TimeoutProbe.PatientDelay, cancellationToken);
        return TypedResults.NoContent();
    }
}
