using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Data;
using Rampart.Data.Tests;
using Xunit;

[assembly: AssemblyFixture(typeof(PostgresServer))]

namespace Orders.Tests;

/// <summary>
/// Object-level authorization (OWASP API1) from the attacker's side, on SQLite and on PostgreSQL: user B
/// knows the id of user A's order and tries every owner-scoped endpoint. For B the order does not exist.
/// </summary>
public sealed class BolaTests(PostgresServer postgres)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Providers => new("sqlite", "postgres");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<Guid> CreateAsync(HttpClient client, string productId, string? note = null)
    {
        string body = JsonSerializer.Serialize(new { productId, quantity = 3, note });
        using var created = await client.PostAsync("/api/v1/orders", Json(body), Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var json = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("id").GetGuid();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Another_user_cannot_read_change_or_delete_an_order_it_is_404(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var alice = factory.CreateClientFor("alice", "orders:read", "orders:write");
        using var bob = factory.CreateClientFor("bob", "orders:read", "orders:write");
        var id = await CreateAsync(alice, "BOLA0001", "alice's note");

        using (var read = await bob.GetAsync($"/api/v1/orders/{id}", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
            Assert.Equal("application/problem+json", read.Content.Headers.ContentType?.MediaType);
            Assert.DoesNotContain("alice", await read.Content.ReadAsStringAsync(Ct), StringComparison.OrdinalIgnoreCase);
        }

        using (var change = await bob.PutAsync($"/api/v1/orders/{id}", Json("""{"quantity":999,"note":"bob was here"}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, change.StatusCode);
        }

        using (var delete = await bob.DeleteAsync($"/api/v1/orders/{id}", Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        }

        using (var search = await bob.GetAsync("/api/v1/search?q=BOLA", Ct))
        {
            using var json = JsonDocument.Parse(await search.Content.ReadAsStringAsync(Ct));
            Assert.Equal(0, json.RootElement.GetProperty("total").GetInt32());
            Assert.Empty(json.RootElement.GetProperty("items").EnumerateArray());
        }

        // Alice's order is untouched: same quantity, same note, still there.
        var order = await alice.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}", Ct);
        Assert.Equal(3, order.GetProperty("quantity").GetInt32());
        Assert.Equal("alice's note", order.GetProperty("note").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task An_unknown_id_and_another_users_id_are_indistinguishable(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var alice = factory.CreateClientFor("alice", "orders:read", "orders:write");
        using var bob = factory.CreateClientFor("bob", "orders:read", "orders:write");
        var id = await CreateAsync(alice, "BOLA0002");

        using var theirs = await bob.GetAsync($"/api/v1/orders/{id}", Ct);
        using var nobodys = await bob.GetAsync($"/api/v1/orders/{Guid.NewGuid()}", Ct);
        Assert.Equal(nobodys.StatusCode, theirs.StatusCode);
        string a = await theirs.Content.ReadAsStringAsync(Ct);
        string b = await nobodys.Content.ReadAsStringAsync(Ct);
        // Only the trace id may differ.
        Assert.Equal(WithoutTraceId(b), WithoutTraceId(a));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_owner_reads_changes_and_deletes_their_order(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var alice = factory.CreateClientFor("alice", "orders:read", "orders:write");
        var id = await CreateAsync(alice, "OWNR0001", "first");

        using (var change = await alice.PutAsync($"/api/v1/orders/{id}", Json("""{"quantity":7,"note":null}"""), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, change.StatusCode);
            var changed = await change.Content.ReadFromJsonAsync<JsonElement>(Ct);
            Assert.Equal(7, changed.GetProperty("quantity").GetInt32());
            Assert.Equal(JsonValueKind.Null, changed.GetProperty("note").ValueKind);
        }

        using (var delete = await alice.DeleteAsync($"/api/v1/orders/{id}", Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using var gone = await alice.GetAsync($"/api/v1/orders/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Reading_without_a_token_is_401_and_deleting_without_orders_write_is_403(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var alice = factory.CreateClientFor("alice", "orders:read", "orders:write");
        var id = await CreateAsync(alice, "PERM0001");

        using var anonymous = factory.CreateClient();
        anonymous.DefaultRequestHeaders.Authorization = null;
        using (var read = await anonymous.GetAsync($"/api/v1/orders/{id}", Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        }

        using var readOnly = factory.CreateClientFor("alice", "orders:read");
        using (var delete = await readOnly.DeleteAsync($"/api/v1/orders/{id}", Ct))
        {
            Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync($"/api/v1/orders/{id}", Ct)).StatusCode);
    }

    public static TheoryData<string, string> InjectionNotes()
    {
        var data = new TheoryData<string, string>();
        foreach (string provider in new[] { "sqlite", "postgres" })
        {
            foreach (string note in new[] { "' OR 1=1 --", "'; DROP TABLE orders; --", "\u2019; DROP TABLE orders; --\u2018", "\"); DELETE FROM orders; --", "@owner" })
            {
                data.Add(provider, note);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InjectionNotes))]
    public async Task Injection_strings_are_stored_and_read_back_verbatim(string provider, string note)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var alice = factory.CreateClientFor("alice", "orders:read", "orders:write");
        using var bob = factory.CreateClientFor("bob", "orders:read", "orders:write");
        var bobs = await CreateAsync(bob, "INJB0001", "bob's");

        var id = await CreateAsync(alice, "INJA0001", note);

        var order = await alice.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}", Ct);
        Assert.Equal(note, order.GetProperty("note").GetString());
        // Nothing was dropped or deleted: the other user's order is still there.
        Assert.Equal("bob's", (await bob.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{bobs}", Ct)).GetProperty("note").GetString());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Concurrent_creates_all_land(string provider)
    {
        const int N = 60;
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var alice = factory.CreateClientFor("alice", "orders:read", "orders:write");

        var ids = await Task.WhenAll(Enumerable.Range(0, N).Select(i => Task.Run(() => CreateAsync(alice, "CONC" + (i % 10).ToString("D4", System.Globalization.CultureInfo.InvariantCulture)), Ct)));

        Assert.Equal(N, ids.Distinct().Count());
        var search = await alice.GetFromJsonAsync<JsonElement>("/api/v1/search?q=CONC&limit=100", Ct);
        Assert.Equal(N, search.GetProperty("total").GetInt32());
        Assert.Equal(ids.OrderBy(x => x), search.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).OrderBy(x => x));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_database_failure_is_503_problem_details_with_nothing_from_the_exception(string provider)
    {
        using var factory = await OrdersFactory.CreateAsync(provider, postgres);
        using var alice = factory.CreateClientFor("alice", "orders:read", "orders:write");
        var id = await CreateAsync(alice, "FAIL0001");

        // The table disappears under the running app.
        var database = factory.Services.GetRequiredService<RampartDatabase>();
        await using (var connection = await database.DataSource.OpenConnectionAsync(Ct))
        await using (var drop = connection.CreateCommand())
        {
            drop.CommandText = "DROP TABLE orders";
            await drop.ExecuteNonQueryAsync(Ct);
        }

        factory.Logs.Clear();
        using var response = await alice.GetAsync($"/api/v1/orders/{id}", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("X-Content-Type-Options"));
        string body = await response.Content.ReadAsStringAsync(Ct);
        foreach (string leak in new[] { "orders", "SELECT", "owner_id", "Exception", "Host=", "Data Source", "sqlite", "postgres", "42P01", "no such table", "does not exist" })
        {
            Assert.DoesNotContain(leak, body, StringComparison.OrdinalIgnoreCase);
        }

        // Logged once, as the database failure (not also as an unhandled exception).
        var failures = factory.Logs.Where(l => l.EventId == DatabaseFailure.EventId).ToList();
        var failure = Assert.Single(failures);
        Assert.Contains("orders", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(factory.Logs, l => l.EventId == 5000);
    }

    private static string WithoutTraceId(string json)
    {
        using var document = JsonDocument.Parse(json);
        return string.Join(",", document.RootElement.EnumerateObject().Where(p => p.Name != "traceId").Select(p => p.Name + "=" + p.Value.GetRawText()));
    }
}
