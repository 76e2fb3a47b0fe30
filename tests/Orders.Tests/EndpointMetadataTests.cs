using System.Linq;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Hosting;
using Xunit;

namespace Orders.Tests;

/// <summary>The generated map attaches each contract's security facts as endpoint metadata.</summary>
public sealed class EndpointMetadataTests(OrdersFactory factory) : IClassFixture<OrdersFactory>
{
    [Fact]
    public void Every_contract_is_mapped_with_its_security_metadata()
    {
        _ = factory.CreateClient();
        var endpoints = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Meta: e.Metadata.GetMetadata<SecureEndpointMetadata>()))
            .Where(e => e.Meta is not null)
            .ToList();

        var routes = endpoints.Select(e => $"{e.Meta!.Method} {e.Meta.Route}").OrderBy(r => r).ToArray();
        Assert.Equal(new[]
        {
            "DELETE /api/v1/admin/users/{userName}", "DELETE /api/v1/orders/{id}", "GET /api/v1/admin/users", "GET /api/v1/me", "GET /api/v1/orders/{id}",
            "GET /api/v1/search", "GET /health", "POST /api/v1/auth/logout", "POST /api/v1/auth/password", "POST /api/v1/auth/refresh", "POST /api/v1/auth/token",
            "POST /api/v1/orders", "PUT /api/v1/orders/{id}",
        }, routes);

        foreach (var (endpoint, meta) in endpoints)
        {
            Assert.Equal(meta!.Route, endpoint.RoutePattern.RawText);
            Assert.Contains(meta.Method, endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods);
            // Anonymous access is always explicit, and mirrored for ASP.NET Core's authorization.
            Assert.Equal(meta.AllowAnonymous, endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null);
            // Every protected endpoint lists its permissions, except logout and the password change (RequireAuthentication: any signed-in caller).
            bool signedInOnly = !meta.AllowAnonymous && meta.Permissions.Count == 0;
            Assert.Equal(meta.Route is "/api/v1/auth/logout" or "/api/v1/auth/password", signedInOnly);
        }

        var create = endpoints.Single(e => e.Meta!.Route == "/api/v1/orders" && e.Meta.Method == "POST").Endpoint;
        var accepts = create.Metadata.GetMetadata<IAcceptsMetadata>();
        Assert.NotNull(accepts);
        Assert.Contains("application/json", accepts!.ContentTypes);
        Assert.Contains(create.Metadata.OfType<IProducesResponseTypeMetadata>(), p => p.StatusCode == 201);
        Assert.Equal("10/second", endpoints.Single(e => e.Endpoint == create).Meta!.RateLimit);
        Assert.Equal("5/minute", endpoints.Single(e => e.Meta!.Route == "/api/v1/auth/token").Meta!.RateLimit);
        Assert.Equal("5/minute", endpoints.Single(e => e.Meta!.Route == "/api/v1/auth/password").Meta!.RateLimit);
        Assert.Equal(["admin:write"], endpoints.Single(e => e.Meta!.Route == "/api/v1/admin/users/{userName}").Meta!.Permissions);
        Assert.Equal("CreateOrder", create.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName);
    }
}
