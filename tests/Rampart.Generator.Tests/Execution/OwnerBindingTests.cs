using System;
using System.Threading.Tasks;
using Rampart.Binding;
using Xunit;

namespace Rampart.Generator.Tests.Execution;

/// <summary>
/// OwnerId in generated endpoints, from the attacker's side: the owner is the authenticated caller's
/// subject, whatever the body, route or query say; an owner smuggled in as JSON or query is rejected as
/// unknown input; a principal without a subject owns nothing.
/// </summary>
public sealed class OwnerBindingTests(ExecutionFixture fixture) : IClassFixture<ExecutionFixture>
{
    private async Task<(int Status, string Headers, string Body)> Invoke(string endpoint, string method, string query = "", string? routeValue = null, string? scopes = "notes:read notes:write", string? body = null)
    {
        string text = await fixture.Call<Task<string>>("Invoke", endpoint, method, query, routeValue is null ? null : "Id", routeValue, scopes, body is null ? null : "application/json", body);
        string[] parts = text.Split('\n', 3);
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts[1], parts[2]);
    }

    [Fact]
    public async Task The_owner_member_and_parameter_are_the_callers_subject()
    {
        var (status, _, body) = await Invoke("SaveNote", "PUT", routeValue: "n1", body: """{"text":"hello"}""");

        Assert.Equal(200, status);
        Assert.Contains("\"owner\":\"user-1\"", body, StringComparison.Ordinal);
        Assert.Contains("\"parameter\":\"user-1\"", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("owner")]
    [InlineData("Owner")]
    [InlineData("ownerId")]
    public async Task An_owner_in_the_body_is_rejected_as_an_unknown_property(string name)
    {
        var (status, _, body) = await Invoke("SaveNote", "PUT", routeValue: "n1", body: $$"""{"text":"hello","{{name}}":"mallory"}""");

        Assert.Equal(400, status);
        Assert.Contains(BindingMessages.UnknownProperty, body, StringComparison.Ordinal);
        Assert.DoesNotContain("mallory", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?owner=mallory")]
    [InlineData("?ownerId=mallory")]
    public async Task An_owner_in_the_query_is_rejected_as_an_unknown_key(string query)
    {
        var (status, _, body) = await Invoke("ListNotes", "GET", query);

        Assert.Equal(400, status);
        Assert.Contains(BindingMessages.UnknownQuery, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_get_contract_binds_its_owner_from_the_caller()
    {
        var (status, _, body) = await Invoke("ListNotes", "GET", "?tag=work");

        Assert.Equal(200, status);
        Assert.Contains("\"owner\":\"user-1\"", body, StringComparison.Ordinal);
        Assert.Contains("\"text\":\"work\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_principal_without_a_subject_is_401()
    {
        var (status, headers, _) = await Invoke("ListNotes", "GET", scopes: "nosub notes:read");

        Assert.Equal(401, status);
        Assert.Contains("WWW-Authenticate=Bearer", headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_callers_are_401_before_any_owner_is_read()
    {
        var (status, _, _) = await Invoke("ListNotes", "GET", scopes: null);
        Assert.Equal(401, status);
    }
}
