using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Rampart.Logging;
using Xunit;

namespace Orders.Tests;

/// <summary>
/// What the sample's contracts say is what they enforce, from the caller's side: CreateOrder says
/// <c>productId</c> matches <c>^[A-Z0-9]{8}$</c>, so an empty product code is a 400 with a security
/// event, not an order (RegularExpressionAttribute would let "" through; Rampart does not).
/// </summary>
public sealed class ContractEnforcementTests
{
    [Theory]
    [InlineData("""{"productId":"","quantity":1}""")]
    [InlineData("""{"productId":"","quantity":1,"note":"n"}""")]
    public async Task An_empty_product_id_is_rejected_by_its_pattern(string json)
    {
        using var factory = new OrdersFactory();
        using var client = factory.CreateClientFor("alice", TestTokens.OrdersUser);
        var ct = TestContext.Current.CancellationToken;

        using var response = await client.PostAsync("/api/v1/orders", new StringContent(json, Encoding.UTF8, "application/json"), ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Equal(["productId"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Equal("The field productId must match the regular expression '^[A-Z0-9]{8}$'.", errors.GetProperty("productId")[0].GetString());
        var rejected = Assert.Single(factory.Logs, l => l.EventId == SecurityEvents.ValidationRejectedId);
        Assert.Equal(SecurityEvents.Category, rejected.Category);
        Assert.Contains("POST /api/v1/orders: 1 failure(s), first at productId", rejected.Message, System.StringComparison.Ordinal);
    }
}
