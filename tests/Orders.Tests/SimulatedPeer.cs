using System;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Orders.Tests;

/// <summary>
/// Stands in for the TCP peer address, which the TestServer does not set: a request's <c>X-Test-Peer</c>
/// header becomes its <c>RemoteIpAddress</c>, ahead of every other middleware.
/// </summary>
internal sealed class SimulatedPeerStartupFilter : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(Header, out var peer))
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
