using System.Linq;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests;

/// <summary>
/// The generated code of the sample and of representative edge cases, reviewed and committed as
/// <c>Snapshots/*.verified.cs</c>. Every snapshot compilation must also compile cleanly.
/// </summary>
public sealed class SnapshotTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Microsoft.AspNetCore.Mvc;
        using Rampart;

        """;

    private static GeneratorOutput RunAndVerify(string source, string[] expectedHintNames, [System.Runtime.CompilerServices.CallerMemberName] string method = "")
    {
        var output = TestCompiler.Run(new SourceFile("Contracts.cs", Usings + source)).AssertCompiles();
        var expected = expectedHintNames.Append("RampartEndpoints.g.cs").OrderBy(n => n, System.StringComparer.Ordinal).ToList();
        var actual = output.Sources.Select(s => s.HintName).ToList();
        Assert.True(expected.SequenceEqual(actual),
            $"Expected sources [{string.Join(", ", expected)}], got [{string.Join(", ", actual)}]; generator diagnostics:\n{Snapshot.DescribeDiagnostics(output.GeneratorDiagnostics)}");
        Snapshot.Verify(output, method);
        return output;
    }

    [Fact]
    public void SampleContracts()
    {
        var output = TestCompiler.Run(TestCompiler.SampleSources()).AssertCompiles().AssertNoGeneratorDiagnostics();
        Assert.Equal(
            new[] { "Orders.Contracts.CreateOrder.g.cs", "Orders.Contracts.DeleteOrder.g.cs", "Orders.Contracts.GetOrder.g.cs", "Orders.Contracts.Health.g.cs", "Orders.Contracts.ListUsers.g.cs", "Orders.Contracts.SearchOrders.g.cs", "Orders.Contracts.UpdateOrder.g.cs", "Orders.Contracts.WhoAmI.g.cs", "Orders.Stores.OrderStore.Store.g.cs", "RampartEndpoints.g.cs" },
            output.Sources.Select(s => s.HintName));
        Snapshot.Verify(output);
    }

    [Fact]
    public void RecordStructContract() => RunAndVerify("""
        namespace Geo;

        [SecureEndpoint("POST", "/points", Permission = "points:write")]
        public partial record struct AddPoint
        {
            [Range(-90.0, 90.0)] public required double Latitude { get; init; }
            [Range(-180.0, 180.0)] public required double Longitude { get; init; }
            [MaxLength(40)] public string? Label { get; init; }

            static NoContent Handle(AddPoint request) => TypedResults.NoContent();
        }
        """, new[] { "Geo.AddPoint.g.cs" });

    [Fact]
    public void ContractNestedInPartialClass() => RunAndVerify("""
        namespace Shop;

        public static partial class Api
        {
            public partial class V2
            {
                [SecureEndpoint("DELETE", "/v2/carts/{cartId}", Permission = "carts:delete")]
                public sealed partial record DeleteCart
                {
                    public required long CartId { get; init; }

                    static Task HandleAsync(DeleteCart request, CancellationToken ct) => Task.CompletedTask;
                }
            }
        }
        """, new[] { "Shop.Api.V2.DeleteCart.g.cs" });

    [Fact]
    public void Enums() => RunAndVerify("""
        namespace Tickets;

        public enum Priority { Low, Normal, High }
        public enum Channel { Email = 1, Phone = 2 }

        [SecureEndpoint("POST", "/tickets", Permission = "tickets:write")]
        public sealed partial record OpenTicket
        {
            public required Priority Priority { get; init; }
            public Channel? Channel { get; init; }
            [MaxLength(3)] public Priority[]? Escalations { get; init; }

            static TicketView Handle(OpenTicket request) => new(request.Priority, request.Channel);
        }

        [SecureEndpoint("GET", "/tickets", Permission = "tickets:read")]
        public sealed partial record ListTickets
        {
            public Priority? Priority { get; init; }

            static TicketView Handle(ListTickets request) => new(request.Priority ?? Tickets.Priority.Normal, null);
        }

        public sealed record TicketView(Priority Priority, Channel? Channel);
        """, new[] { "Tickets.ListTickets.g.cs", "Tickets.OpenTicket.g.cs" });

    [Fact]
    public void NestedRecordsAndCollections() => RunAndVerify("""
        namespace Sales;

        public sealed record Address
        {
            [Required, MaxLength(100)] public required string Street { get; init; }
            [RegularExpression("^[0-9]{5}$"), MaxLength(5)] public required string Zip { get; init; }
        }

        public sealed record Line
        {
            [MaxLength(32)] public required string Sku { get; init; }
            [Range(1, 99)] public required int Quantity { get; init; }
            [MaxLength(5)] public List<Note>? Notes { get; init; }
        }

        public sealed record Note
        {
            [MaxLength(200)] public required string Text { get; init; }
        }

        public sealed record Tag
        {
            [MaxLength(20)] public string? Name { get; init; }
        }

        [SecureEndpoint("POST", "/quotes", Permission = "quotes:write")]
        public sealed partial record CreateQuote
        {
            public required Address Billing { get; init; }
            public Address? Shipping { get; init; }
            [Length(1, 50)] public required Line[] Lines { get; init; }
            [MaxLength(10)] public IReadOnlyList<Tag>? Tags { get; init; }
            [MaxLength(10)] public List<int>? Ratings { get; init; }

            static QuoteView Handle(CreateQuote request) => new(request.Lines.Length, request.Lines);
        }

        public sealed record QuoteView(int Count, IReadOnlyList<Line> Lines);
        """, new[] { "Sales.CreateQuote.g.cs" });

    [Fact]
    public void PositionalRecord() => RunAndVerify("""
        namespace Users;

        [SecureEndpoint("POST", "/users", Permission = "users:write")]
        public sealed partial record CreateUser(
            [property: MaxLength(50)] string Name,
            [Range(0, 150)] int Age,
            [MaxLength(20)] string? Nickname = null,
            bool Admin = false)
        {
            static UserView Handle(CreateUser request) => new(request.Name, request.Age);
        }

        public sealed record UserView(string Name, int Age);
        """, new[] { "Users.CreateUser.g.cs" });

    [Fact]
    public void RouteAndBody() => RunAndVerify("""
        namespace Catalog;

        [SecureEndpoint("PUT", "/items/{id}", Permission = "items:write")]
        public sealed partial record UpdateItem
        {
            public required Guid Id { get; init; }
            [StringLength(80, MinimumLength = 1)] public required string Title { get; init; }
            [Range(typeof(decimal), "0.01", "99999.99")] public required decimal Price { get; init; }
            [FromQuery, MaxLength(16)] public string? Reason { get; init; }

            static Ok<ItemView> Handle(UpdateItem request) => TypedResults.Ok(new ItemView(request.Id, request.Title, request.Price));
        }

        public sealed record ItemView(Guid Id, string Title, decimal Price);
        """, new[] { "Catalog.UpdateItem.g.cs" });

    [Fact]
    public void QueryBinding() => RunAndVerify("""
        namespace Reports;

        public enum Format { Csv, Json }

        [SecureEndpoint("GET", "/reports/{year}", Permission = "reports:read")]
        public sealed partial record GetReport
        {
            public required int Year { get; init; }
            [MaxLength(30)] public string? Region { get; init; }
            [Range(1, 500)] public int PageSize { get; init; } = 50;
            public long? After { get; init; }
            public decimal MinTotal { get; init; } = 0.5m;
            public double? Ratio { get; init; }
            public bool IncludeDrafts { get; init; } = false;
            public Guid? Owner { get; init; }
            public DateTimeOffset? Since { get; init; }
            public Format Format { get; init; } = Format.Json;
            [FromQuery(Name = "sort_by"), MaxLength(10)] public string SortBy { get; init; } = "date";

            static ValueTask<ReportView> HandleAsync(GetReport request, HttpContext context) => ValueTask.FromResult(new ReportView(request.Year));
        }

        public sealed record ReportView(int Year);
        """, new[] { "Reports.GetReport.g.cs" });

    [Fact]
    public void ValidateHook() => RunAndVerify("""
        using Rampart.Validation;

        namespace Bookings;

        [SecureEndpoint("POST", "/bookings", Permission = "bookings:write")]
        public sealed partial record CreateBooking
        {
            public required DateTimeOffset From { get; init; }
            public required DateTimeOffset To { get; init; }
            [Range(1, 10)] public int Guests { get; init; } = 1;

            static void Validate(CreateBooking request, ref ValidationErrors? errors)
            {
                if (request.To <= request.From)
                {
                    ValidationErrors.Add(ref errors, "to", "The end must be after the start.");
                }
            }

            static Created Handle(CreateBooking request) => TypedResults.Created("/bookings/1");
        }
        """, new[] { "Bookings.CreateBooking.g.cs" });

    [Fact]
    public void Patterns() => RunAndVerify("""
        namespace Accounts;

        [SecureEndpoint("POST", "/accounts", Permission = "accounts:write")]
        public sealed partial record OpenAccount
        {
            // Simple: compiled to span code.
            [RegularExpression(@"^\d{3}-\d{4}$"), MaxLength(8)] public required string Phone { get; init; }
            [RegularExpression("^[a-z][a-z0-9_]{2,15}$"), MaxLength(16)] public required string UserName { get; init; }
            [RegularExpression(@"[A-Z]{2}\.[0-9]+"), MaxLength(20)] public string? Code { get; init; }
            [RegularExpression("^[^@]+@[a-z]+$"), MaxLength(50)] public string? Contact { get; init; }
            // Not simple: alternation, lazy quantifier, overlapping runs, shorthand classes.
            [RegularExpression("^(ab|cd)+$"), MaxLength(20)] public string? Pairs { get; init; }
            [RegularExpression("^a+?b$"), MaxLength(20)] public string? Lazy { get; init; }
            [RegularExpression("^[a-z]+[a-z0-9]$"), MaxLength(20)] public string? Overlap { get; init; }
            [RegularExpression(@"^\w+\s\w+$", MatchTimeoutInMilliseconds = 100), MaxLength(40)] public string? Words { get; init; }
            // The same pattern twice shares one matcher.
            [RegularExpression(@"^\d{3}-\d{4}$"), MaxLength(8)] public string? Fax { get; init; }

            static NoContent Handle(OpenAccount request) => TypedResults.NoContent();
        }
        """, new[] { "Accounts.OpenAccount.g.cs" });

    [Fact]
    public void ValidationAttributes() => RunAndVerify("""
        namespace Profiles;

        [SecureEndpoint("PATCH", "/profiles/{id}", Permission = "profiles:write")]
        public sealed partial record UpdateProfile
        {
            public required string Id { get; init; }
            [Required(AllowEmptyStrings = true), MaxLength(10)] public string? Display { get; init; }
            [EmailAddress, MaxLength(254)] public string? Email { get; init; }
            [Url, MaxLength(2048)] public string? Homepage { get; init; }
            [AllowedValues("red", "green", null), MaxLength(5)] public string? Color { get; init; }
            [DeniedValues(0, 13)] public int Lucky { get; init; } = 7;
            [MinLength(2), MaxLength(4)] public List<string>? Langs { get; init; }
            [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true)] public double? Share { get; init; }
            [Range(10, 20, ErrorMessage = "{0} is out of range")] public long Level { get; init; } = 10;

            static Ok Handle(UpdateProfile request) => TypedResults.Ok();
        }
        """, new[] { "Profiles.UpdateProfile.g.cs" });

    [Fact]
    public void UnionResults() => RunAndVerify("""
        namespace Items;

        [SecureEndpoint("GET", "/items/{id}", Permission = "items:read orders:read")]
        public sealed partial record FindItem
        {
            public required int Id { get; init; }

            static Results<Ok<ItemView>, NotFound> Handle(FindItem request) =>
                request.Id == 1 ? TypedResults.Ok(new ItemView(1, "one")) : TypedResults.NotFound();
        }

        [SecureEndpoint("POST", "/items", Permission = "items:write", RateLimit = "5/minute", Name = "create-item")]
        public sealed partial record AddItem
        {
            [MaxLength(10)] public required string Name { get; init; }

            static async Task<Results<Created<ItemView>, Conflict, ProblemHttpResult>> HandleAsync(AddItem request, Caller caller)
            {
                await Task.Yield();
                return request.Name == "dup" ? TypedResults.Conflict() : TypedResults.Created("/items/2", new ItemView(2, request.Name));
            }
        }

        public sealed record ItemView(int Id, string Name);
        """, new[] { "Items.AddItem.g.cs", "Items.FindItem.g.cs" });

    [Fact]
    public void VoidAndTaskHandlers() => RunAndVerify("""
        namespace Jobs;

        [SecureEndpoint("POST", "/jobs/void", Permission = "jobs:run")]
        public sealed partial record RunVoid
        {
            [MaxLength(10)] public required string Name { get; init; }

            static void Handle(RunVoid request) { }
        }

        [SecureEndpoint("POST", "/jobs/task", Permission = "jobs:run")]
        public sealed partial record RunTask
        {
            [MaxLength(10)] public required string Name { get; init; }

            static Task HandleAsync(RunTask request, System.Security.Claims.ClaimsPrincipal user, CancellationToken ct) => Task.CompletedTask;
        }

        [SecureEndpoint("DELETE", "/jobs/{id}", Permission = "jobs:run")]
        public sealed partial record CancelJob
        {
            public required Guid Id { get; init; }

            static ValueTask HandleAsync(CancelJob request) => ValueTask.CompletedTask;
        }
        """, new[] { "Jobs.CancelJob.g.cs", "Jobs.RunTask.g.cs", "Jobs.RunVoid.g.cs" });

    // The generated permission check (two permissions, all required, one 403 with the scope the caller
    // lacks) and OwnerId bound from the caller, as a contract member and as a handler parameter.
    [Fact]
    public void PermissionsAndOwner() => RunAndVerify("""
        namespace Notes;

        public sealed record NoteView(string Id, string Owner, string Text);

        [SecureEndpoint("PUT", "/notes/{id}", Permission = "notes:write notes:read")]
        public sealed partial record SaveNote
        {
            [MaxLength(20)] public required string Id { get; init; }
            public required OwnerId Owner { get; init; }
            [MaxLength(100)] public required string Text { get; init; }

            static NoteView Handle(SaveNote request, OwnerId owner) => new(request.Id, owner.Value, request.Text);
        }
        """, new[] { "Notes.SaveNote.g.cs" });

    [Fact]
    public void RequireAuthentication() => RunAndVerify("""
        namespace Sessions;

        public sealed record Bye(string Status);

        // Any signed-in caller: the 401 check, no permission check.
        [SecureEndpoint("POST", "/sessions/end", RequireAuthentication = true)]
        public sealed partial record EndSession
        {
            static Bye Handle() => new("bye");
        }
        """, new[] { "Sessions.EndSession.g.cs" });

    [Fact]
    public void CredentialEndpointPartitionedByAddress() => RunAndVerify("""
        namespace Accounts;

        public sealed record Session(string Token);

        // A credential endpoint: its limits count per client address, whatever token the request carries.
        [SecureEndpoint("POST", "/sign-in", AllowAnonymous = true, RateLimit = "5/minute", RateLimitPartition = RateLimitPartitioning.ByAddress)]
        public sealed partial record SignIn
        {
            [MaxLength(64)] public required string UserName { get; init; }
            [MaxLength(128), Sensitive] public required string Password { get; init; }

            static Session Handle(SignIn request) => new("t");
        }
        """, new[] { "Accounts.SignIn.g.cs" });

    [Fact]
    public void GlobalNamespaceContract() => RunAndVerify("""
        [SecureEndpoint("GET", "/", AllowAnonymous = true)]
        public sealed partial record Root
        {
            static RootView Handle() => new("ok");
        }

        public sealed record RootView(string Status);
        """, new[] { "Root.g.cs" });
}
