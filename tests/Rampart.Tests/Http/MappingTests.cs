using System.Linq;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Hosting;
using Rampart.Tests.Contracts;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Http;

/// <summary>MapRampartEndpoints maps every contract of this project with its security facts as metadata.</summary>
public sealed class MappingTests(SharedApp app) : IClassFixture<SharedApp>
{
    private RouteEndpoint[] Endpoints() => app.App.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();

    [Theory]
    [InlineData(typeof(ScalarsRequest), "POST", "/sink/scalars")]
    [InlineData(typeof(PlaceOrder), "POST", "/sink/orders")]
    [InlineData(typeof(Tree), "POST", "/sink/tree")]
    [InlineData(typeof(RulesRequest), "POST", "/sink/rules")]
    [InlineData(typeof(RequiredProbe), "POST", "/sink/required")]
    [InlineData(typeof(ParityProbe), "POST", "/sink/probe")]
    [InlineData(typeof(GetByInt), "GET", "/sink/int/{id}")]
    [InlineData(typeof(GetByLong), "GET", "/sink/long/{id}")]
    [InlineData(typeof(GetByGuid), "GET", "/sink/guid/{id}")]
    [InlineData(typeof(GetByString), "GET", "/sink/str/{id}")]
    [InlineData(typeof(UpdateItem), "PUT", "/sink/items/{id}")]
    [InlineData(typeof(DeleteItem), "DELETE", "/sink/items/{id}")]
    [InlineData(typeof(Ping), "POST", "/sink/ping")]
    [InlineData(typeof(Search), "GET", "/sink/search")]
    [InlineData(typeof(Explode), "POST", "/sink/explode")]
    [InlineData(typeof(TrapResponse), "POST", "/sink/trap")]
    [InlineData(typeof(UpdatePair), "PUT", "/sink/pairs/{left}/{right}")]
    [InlineData(typeof(SlowWork), "GET", "/sink/slow")]
    [InlineData(typeof(PatientWork), "GET", "/sink/patient")]
    public void Every_contract_is_mapped_with_its_metadata(System.Type contract, string method, string route)
    {
        var endpoint = Assert.Single(Endpoints(), e => e.Metadata.GetMetadata<SecureEndpointMetadata>()?.ContractType == contract);
        var facts = endpoint.Metadata.GetRequiredMetadata<SecureEndpointMetadata>();

        Assert.Equal(route, endpoint.RoutePattern.RawText);
        Assert.Equal(method, facts.Method);
        Assert.Equal(route, facts.Route);
        Assert.True(facts.AllowAnonymous);
        Assert.Empty(facts.Permissions);
        Assert.Equal(new[] { method }, endpoint.Metadata.GetRequiredMetadata<IHttpMethodMetadata>().HttpMethods);
        Assert.NotNull(endpoint.Metadata.GetMetadata<IAllowAnonymous>());
        Assert.Contains(endpoint.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>(), p => p.StatusCode == 400 && p.ContentTypes.Contains("application/problem+json"));
        bool hasBody = method is "POST" or "PUT" && contract != typeof(DeleteItem);
        Assert.Equal(hasBody, endpoint.Metadata.GetMetadata<IAcceptsMetadata>() is { } accepts && accepts.ContentTypes.Contains("application/json"));
    }

    [Fact]
    public void Only_the_contracts_of_this_project_are_mapped()
    {
        // Every [SecureEndpoint] of this project: the kitchen sink (17), the security contracts (3) and the timeout contracts (2).
        Assert.Equal(22, Endpoints().Count(e => e.Metadata.GetMetadata<SecureEndpointMetadata>() is not null));
    }
}
