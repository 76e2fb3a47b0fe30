using System.Collections.Generic;
using System.Linq;
using Xunit;

namespace Rampart.Generator.Tests.Diagnostics;

/// <summary>
/// One way to trigger a diagnostic: <see cref="Trigger"/> marks with <c>[| |]</c> the span the
/// diagnostic must point at; <see cref="NoTrigger"/> is the nearest source that must not report it
/// (and must generate code that compiles cleanly).
/// </summary>
public sealed record DiagnosticCase(string Name, string Id, string Trigger, string NoTrigger, bool UsesFailureSeam = false);

public static class DiagnosticCases
{
    public const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Rampart;
        using Rampart.Validation;

        namespace Cases;

        public sealed record PingView(string Value);

        """;

    public static readonly IReadOnlyList<DiagnosticCase> All = new DiagnosticCase[]
    {
        new("RAMP0001_NotPartial", "RAMP0001",
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed record [|Ping|]
            {
                static PingView Handle() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0001_GenericContainer", "RAMP0001",
            """
            public partial class Api<T>
            {
                [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
                public sealed partial record [|Ping|]
                {
                    static PingView Handle() => new("pong");
                }
            }
            """,
            """
            public partial class Api
            {
                [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
                public sealed partial record Ping
                {
                    static PingView Handle() => new("pong");
                }
            }
            """),
        new("RAMP0001_PrivateContract", "RAMP0001",
            """
            public partial class Api
            {
                [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
                private sealed partial record [|Ping|]
                {
                    static PingView Handle() => new("pong");
                }
            }
            """,
            """
            public partial class Api
            {
                [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
                internal sealed partial record Ping
                {
                    static PingView Handle() => new("pong");
                }
            }
            """),
        new("RAMP0001_ClassNotRecord", "RAMP0001",
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial class [|Ping|]
            {
                static PingView Handle() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0001_ContainerNotPartial", "RAMP0001",
            """
            public static class Api
            {
                [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
                public sealed partial record [|Ping|]
                {
                    static PingView Handle() => new("pong");
                }
            }
            """,
            """
            public static partial class Api
            {
                [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
                public sealed partial record Ping
                {
                    static PingView Handle() => new("pong");
                }
            }
            """),
        new("RAMP0002_NoLeadingSlash", "RAMP0002",
            """
            [SecureEndpoint("GET", "ping", AllowAnonymous = true)]
            public sealed partial record [|Ping|]
            {
                static PingView Handle() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0002_Constraint", "RAMP0002",
            """
            [SecureEndpoint("GET", "/items/{id:int}", AllowAnonymous = true)]
            public sealed partial record [|GetItem|]
            {
                public required int Id { get; init; }

                static PingView Handle(GetItem request) => new("item");
            }
            """,
            """
            [SecureEndpoint("GET", "/items/{id}", AllowAnonymous = true)]
            public sealed partial record GetItem
            {
                public required int Id { get; init; }

                static PingView Handle(GetItem request) => new("item");
            }
            """),
        new("RAMP0003", "RAMP0003",
            """
            [SecureEndpoint("GET", "/items/{id}", AllowAnonymous = true)]
            public sealed partial record [|GetItem|]
            {
                public int? Other { get; init; }

                static PingView Handle(GetItem request) => new("item");
            }
            """,
            """
            [SecureEndpoint("GET", "/items/{id}", AllowAnonymous = true)]
            public sealed partial record GetItem
            {
                public required int Id { get; init; }

                static PingView Handle(GetItem request) => new("item");
            }
            """),
        new("RAMP0004_DateTime", "RAMP0004",
            """
            [SecureEndpoint("POST", "/events", Permission = "events:write")]
            public sealed partial record AddEvent
            {
                public required DateTime [|When|] { get; init; }

                static PingView Handle(AddEvent request) => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/events", Permission = "events:write")]
            public sealed partial record AddEvent
            {
                public required DateTimeOffset When { get; init; }

                static PingView Handle(AddEvent request) => new("ok");
            }
            """),
        new("RAMP0004_NullableRoute", "RAMP0004",
            """
            [SecureEndpoint("GET", "/items/{id}", AllowAnonymous = true)]
            public sealed partial record GetItem
            {
                public int? [|Id|] { get; init; }

                static PingView Handle(GetItem request) => new("item");
            }
            """,
            """
            [SecureEndpoint("GET", "/items/{id}", AllowAnonymous = true)]
            public sealed partial record GetItem
            {
                public required int Id { get; init; }

                static PingView Handle(GetItem request) => new("item");
            }
            """),
        new("RAMP0004_Response", "RAMP0004",
            """
            public sealed record View
            {
                public required Dictionary<string, int> [|Counts|] { get; init; }
            }

            [SecureEndpoint("GET", "/counts", AllowAnonymous = true)]
            public sealed partial record GetCounts
            {
                static View Handle() => new() { Counts = new() };
            }
            """,
            """
            public sealed record View
            {
                public required List<int> Counts { get; init; }
            }

            [SecureEndpoint("GET", "/counts", AllowAnonymous = true)]
            public sealed partial record GetCounts
            {
                static View Handle() => new() { Counts = new() };
            }
            """),
        new("RAMP0005_Syntax", "RAMP0005",
            """
            [SecureEndpoint("POST", "/codes", Permission = "codes:write")]
            public sealed partial record AddCode
            {
                [RegularExpression("^[a-$"), MaxLength(5)] public required string [|Code|] { get; init; }

                static PingView Handle(AddCode request) => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/codes", Permission = "codes:write")]
            public sealed partial record AddCode
            {
                [RegularExpression("^[a-z]$"), MaxLength(5)] public required string Code { get; init; }

                static PingView Handle(AddCode request) => new("ok");
            }
            """),
        new("RAMP0005_Backreference", "RAMP0005",
            """
            [SecureEndpoint("POST", "/codes", Permission = "codes:write")]
            public sealed partial record AddCode
            {
                [RegularExpression(@"^(a+)b\1$"), MaxLength(5)] public required string [|Code|] { get; init; }

                static PingView Handle(AddCode request) => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/codes", Permission = "codes:write")]
            public sealed partial record AddCode
            {
                [RegularExpression(@"^(a+)b(a+)$"), MaxLength(5)] public required string Code { get; init; }

                static PingView Handle(AddCode request) => new("ok");
            }
            """),
        new("RAMP0006_Range", "RAMP0006",
            """
            [SecureEndpoint("POST", "/counts", Permission = "counts:write")]
            public sealed partial record AddCount
            {
                [Range(10, 1)] public required int [|Count|] { get; init; }

                static PingView Handle(AddCount request) => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/counts", Permission = "counts:write")]
            public sealed partial record AddCount
            {
                [Range(1, 10)] public required int Count { get; init; }

                static PingView Handle(AddCount request) => new("ok");
            }
            """),
        new("RAMP0006_StringLength", "RAMP0006",
            """
            [SecureEndpoint("POST", "/names", Permission = "names:write")]
            public sealed partial record AddName
            {
                [StringLength(5, MinimumLength = 10), MaxLength(20)] public required string [|Name|] { get; init; }

                static PingView Handle(AddName request) => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/names", Permission = "names:write")]
            public sealed partial record AddName
            {
                [StringLength(10, MinimumLength = 5), MaxLength(20)] public required string Name { get; init; }

                static PingView Handle(AddName request) => new("ok");
            }
            """),
        new("RAMP0007", "RAMP0007",
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record [|Ping|]
            {
                static PingView Respond() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0007_NotStatic", "RAMP0007",
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                PingView [|Handle|]() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0008", "RAMP0008",
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");

                static ValueTask<PingView> [|HandleAsync|]() => ValueTask.FromResult(new PingView("pong"));
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");

                static ValueTask<PingView> PongAsync() => ValueTask.FromResult(new PingView("pong"));
            }
            """),
        new("RAMP0009_Scalar", "RAMP0009",
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle(Ping request, int [|count|]) => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle(Ping request, CancellationToken ct) => new("pong");
            }
            """),
        new("RAMP0009_Ref", "RAMP0009",
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle(ref Ping [|request|]) => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle(Ping request) => new("pong");
            }
            """),
        new("RAMP0010", "RAMP0010",
            """
            [SecureEndpoint("GET", "/things/{id}", AllowAnonymous = true)]
            public sealed partial record GetThing
            {
                public required int Id { get; init; }

                static PingView Handle() => new("thing");
            }

            [SecureEndpoint("GET", "/things/{key}", AllowAnonymous = true)]
            public sealed partial record [|GetThingByKey|]
            {
                public required string Key { get; init; }

                static PingView Handle() => new("thing");
            }
            """,
            """
            [SecureEndpoint("GET", "/things/{id}", AllowAnonymous = true)]
            public sealed partial record GetThing
            {
                public required int Id { get; init; }

                static PingView Handle() => new("thing");
            }

            [SecureEndpoint("DELETE", "/things/{key}", AllowAnonymous = true)]
            public sealed partial record GetThingByKey
            {
                public required string Key { get; init; }

                static PingView Handle() => new("thing");
            }
            """),
        new("RAMP0011", "RAMP0011",
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static string [|Handle|]() => "pong";
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0011_IResult", "RAMP0011",
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static IResult [|Handle|]() => TypedResults.Ok();
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static Ok Handle() => TypedResults.Ok();
            }
            """),
        new("RAMP0012_CreditCard", "RAMP0012",
            """
            [SecureEndpoint("POST", "/cards", Permission = "cards:write")]
            public sealed partial record AddCard
            {
                [CreditCard, MaxLength(20)] public required string [|Number|] { get; init; }

                static PingView Handle(AddCard request) => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/cards", Permission = "cards:write")]
            public sealed partial record AddCard
            {
                [RegularExpression("^[0-9]{12,19}$"), MaxLength(20)] public required string Number { get; init; }

                static PingView Handle(AddCard request) => new("ok");
            }
            """),
        new("RAMP0012_RangeOnString", "RAMP0012",
            """
            [SecureEndpoint("POST", "/cards", Permission = "cards:write")]
            public sealed partial record AddCard
            {
                [Range(1, 9), MaxLength(20)] public required string [|Number|] { get; init; }

                static PingView Handle(AddCard request) => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/cards", Permission = "cards:write")]
            public sealed partial record AddCard
            {
                [Range(1, 9)] public required int Number { get; init; }

                static PingView Handle(AddCard request) => new("ok");
            }
            """),
        new("RAMP0013", "RAMP0013",
            """
            [SecureEndpoint("GET", "/ping")]
            public sealed partial record [|Ping|]
            {
                static PingView Handle() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", Permission = "ping:read")]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0013_EmptyPermission", "RAMP0013",
            """
            [SecureEndpoint("GET", "/ping", Permission = " ")]
            public sealed partial record [|Ping|]
            {
                static PingView Handle() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", Permission = "ping:read")]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0014", "RAMP0014",
            """
            [SecureEndpoint("GET", "/ping", Permission = "ping:read", AllowAnonymous = true)]
            public sealed partial record [|Ping|]
            {
                static PingView Handle() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", Permission = "ping:read", AllowAnonymous = false)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0014_AuthenticatedAndAnonymous", "RAMP0014",
            """
            [SecureEndpoint("POST", "/logout", RequireAuthentication = true, AllowAnonymous = true)]
            public sealed partial record [|Logout|]
            {
                static PingView Handle() => new("bye");
            }
            """,
            """
            [SecureEndpoint("POST", "/logout", RequireAuthentication = true)]
            public sealed partial record Logout
            {
                static PingView Handle() => new("bye");
            }
            """),
        new("RAMP0014_PermissionAndAuthenticated", "RAMP0014",
            """
            [SecureEndpoint("GET", "/ping", Permission = "ping:read", RequireAuthentication = true)]
            public sealed partial record [|Ping|]
            {
                static PingView Handle() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", Permission = "ping:read", RequireAuthentication = false)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0015", "RAMP0015",
            """
            [SecureEndpoint("GET", "/ping", Permission = "Ping:Read")]
            public sealed partial record [|Ping|]
            {
                static PingView Handle() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", Permission = "ping:read")]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0015_NoAction", "RAMP0015",
            """
            [SecureEndpoint("GET", "/ping", Permission = "ping:read, admin")]
            public sealed partial record [|Ping|]
            {
                static PingView Handle() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", Permission = "ping:read, admin:all")]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0015_Wildcard", "RAMP0015",
            """
            [SecureEndpoint("GET", "/ping", Permission = "ping:*")]
            public sealed partial record [|Ping|]
            {
                static PingView Handle() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", Permission = "ping:read")]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0015_ThreeParts", "RAMP0015",
            """
            [SecureEndpoint("GET", "/ping", Permission = "ping:read:all")]
            public sealed partial record [|Ping|]
            {
                static PingView Handle() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", Permission = "ping.all:read_2-x")]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0016_String", "RAMP0016",
            """
            [SecureEndpoint("POST", "/notes", Permission = "notes:write")]
            public sealed partial record AddNote
            {
                public required string [|Text|] { get; init; }

                static PingView Handle(AddNote request) => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/notes", Permission = "notes:write")]
            public sealed partial record AddNote
            {
                [MaxLength(1000)] public required string Text { get; init; }

                static PingView Handle(AddNote request) => new("ok");
            }
            """),
        new("RAMP0016_Collection", "RAMP0016",
            """
            [SecureEndpoint("POST", "/notes", Permission = "notes:write")]
            public sealed partial record AddNotes
            {
                public required int[] [|Ids|] { get; init; }

                static PingView Handle(AddNotes request) => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/notes", Permission = "notes:write")]
            public sealed partial record AddNotes
            {
                [Length(1, 100)] public required int[] Ids { get; init; }

                static PingView Handle(AddNotes request) => new("ok");
            }
            """),
        new("RAMP0017", "RAMP0017",
            """
            [SecureEndpoint("HEAD", "/ping", AllowAnonymous = true)]
            public sealed partial record [|Ping|]
            {
                static PingView Handle() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """),
        new("RAMP0018", "RAMP0018",
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record [|Ping|]
            {
                static PingView Handle() => new("pong");
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }
            """,
            UsesFailureSeam: true),
        new("RAMP0019", "RAMP0019",
            """
            [SecureEndpoint("POST", "/ranges", Permission = "ranges:write")]
            public sealed partial record AddRange
            {
                public required int From { get; init; }
                public required int To { get; init; }

                static bool [|Validate|](AddRange request) => request.From <= request.To;

                static PingView Handle(AddRange request) => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/ranges", Permission = "ranges:write")]
            public sealed partial record AddRange
            {
                public required int From { get; init; }
                public required int To { get; init; }

                static void Validate(AddRange request, ref ValidationErrors? errors)
                {
                    if (request.From > request.To) ValidationErrors.Add(ref errors, "to", "must not be before from");
                }

                static PingView Handle(AddRange request) => new("ok");
            }
            """),
        new("RAMP0020", "RAMP0020",
            """
            [SecureEndpoint("POST", "/notes", Permission = "notes:write")]
            public sealed partial record AddNote
            {
                [MaxLength(40)] public string? [|Title|] { get; init; } = Environment.MachineName;

                static PingView Handle(AddNote request) => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/notes", Permission = "notes:write")]
            public sealed partial record AddNote
            {
                [MaxLength(40)] public string? Title { get; init; } = "untitled";

                static PingView Handle(AddNote request) => new("ok");
            }
            """),
        new("RAMP0021", "RAMP0021",
            """
            [SecureEndpoint("GET", "/search", AllowAnonymous = true, RateLimit = "10 per fortnight")]
            public sealed partial record [|Search|]
            {
                static PingView Handle() => new("ok");
            }
            """,
            """
            [SecureEndpoint("GET", "/search", AllowAnonymous = true, RateLimit = "10/second; 100 per minute")]
            public sealed partial record Search
            {
                static PingView Handle() => new("ok");
            }
            """),
        new("RAMP0022", "RAMP0022",
            """
            [SecureEndpoint("POST", "/login", AllowAnonymous = true)]
            public sealed partial record Login
            {
                [MaxLength(40)] public required string User { get; init; }
                [MaxLength(200)] public required string [|Password|] { get; init; }

                static PingView Handle(Login request) => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/login", AllowAnonymous = true)]
            public sealed partial record Login
            {
                [MaxLength(40)] public required string User { get; init; }
                [MaxLength(200), Sensitive] public required string Password { get; init; }

                static PingView Handle(Login request) => new("ok");
            }
            """),
        new("RAMP0040_ClassNotPartial", "RAMP0040",
            """
            public sealed record Item(int Id, string Name);

            public sealed class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id")]
                public partial Task<Item?> [|FindAsync|](int id, CancellationToken cancellationToken);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id")]
                public partial Task<Item?> FindAsync(int id, CancellationToken cancellationToken);
            }
            """),
        new("RAMP0040_MethodNotPartial", "RAMP0040",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id")]
                public Task<Item?> [|FindAsync|](int id) => Task.FromResult<Item?>(null);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id")]
                public partial Task<Item?> FindAsync(int id);
            }
            """),
        new("RAMP0041", "RAMP0041",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql([|"SELECT id, name FROM items WHERE id = @id AND name = @name"|])]
                public partial Task<Item?> FindAsync(int id);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id AND name = @name")]
                public partial Task<Item?> FindAsync(int id, string name);
            }
            """),
        new("RAMP0042", "RAMP0042",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id")]
                public partial Task<Item?> FindAsync(int id, string [|name|]);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id AND name = @name")]
                public partial Task<Item?> FindAsync(int id, string name);
            }
            """),
        new("RAMP0043_Parameter", "RAMP0043",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE name = @name")]
                public partial Task<Item?> FindAsync(Uri [|name|]);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE name = @name")]
                public partial Task<Item?> FindAsync(string name);
            }
            """),
        new("RAMP0043_Column", "RAMP0043",
            """
            public sealed record Item(int Id, Uri [|Link|]);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, link FROM items WHERE id = @id")]
                public partial Task<Item?> FindAsync(int id);
            }
            """,
            """
            public sealed record Item(int Id, string Link);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, link FROM items WHERE id = @id")]
                public partial Task<Item?> FindAsync(int id);
            }
            """),
        new("RAMP0044", "RAMP0044",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id")]
                public partial Task<Item> [|FindAsync|](int id);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id")]
                public partial Task<Item?> FindAsync(int id);
            }
            """),
        new("RAMP0044_NonQuery", "RAMP0044",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("DELETE FROM items WHERE id = @id")]
                public partial Task<bool> [|DeleteAsync|](int id);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("DELETE FROM items WHERE id = @id")]
                public partial Task<int> DeleteAsync(int id);
            }
            """),
        new("RAMP0045_UnknownColumn", "RAMP0045",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql([|"SELECT id, title FROM items WHERE id = @id"|])]
                public partial Task<Item?> FindAsync(int id);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, title AS name FROM items WHERE id = @id")]
                public partial Task<Item?> FindAsync(int id);
            }
            """),
        new("RAMP0045_MissingColumn", "RAMP0045",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql([|"SELECT id FROM items WHERE id = @id"|])]
                public partial Task<Item?> FindAsync(int id);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id")]
                public partial Task<Item?> FindAsync(int id);
            }
            """),
        new("RAMP0045_UnnamedExpression", "RAMP0045",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql([|"SELECT id, upper(name) FROM items WHERE id = @id"|])]
                public partial Task<Item?> FindAsync(int id);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, upper(name) AS name FROM items WHERE id = @id")]
                public partial Task<Item?> FindAsync(int id);
            }
            """),
        new("RAMP0046", "RAMP0046",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql([|"SELECT * FROM items WHERE id = @id"|])]
                public partial Task<Item?> FindAsync(int id);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id")]
                public partial Task<Item?> FindAsync(int id);
            }
            """),
        new("RAMP0047", "RAMP0047",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql([|"UPDATE items SET name = @name"|])]
                public partial Task<int> RenameAllAsync(string name);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("UPDATE items SET name = @name WHERE id = @id")]
                public partial Task<int> RenameAsync(int id, string name);
            }
            """),
        new("RAMP0048_OrBypass", "RAMP0048",
            """
            public sealed record Item(int Id, string Name);

            [OwnerScoped]
            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE owner_id = @owner OR id = @id")]
                public partial Task<Item?> [|FindAsync|](int id, OwnerId owner);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            [OwnerScoped]
            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE owner_id = @owner AND id = @id")]
                public partial Task<Item?> FindAsync(int id, OwnerId owner);
            }
            """),
        new("RAMP0048_NoOwnerParameter", "RAMP0048",
            """
            public sealed record Item(int Id, string Name);

            [OwnerScoped]
            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE owner_id = @ownerId AND id = @id")]
                public partial Task<Item?> [|FindAsync|](int id, string ownerId);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            [OwnerScoped]
            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE owner_id = @ownerId AND id = @id")]
                public partial Task<Item?> FindAsync(int id, OwnerId ownerId);
            }
            """),
        new("RAMP0048_OwnerNotCompared", "RAMP0048",
            """
            public sealed record Item(int Id, string Name);

            [OwnerScoped]
            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id AND created_by = @owner")]
                public partial Task<Item?> [|FindAsync|](int id, OwnerId owner);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            [OwnerScoped]
            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id AND items.owner_id = @owner")]
                public partial Task<Item?> FindAsync(int id, OwnerId owner);
            }
            """),
        new("RAMP0048_InsertWithoutOwner", "RAMP0048",
            """
            public sealed record Item(int Id, string Name);

            [OwnerScoped]
            public sealed partial class ItemStore
            {
                [Sql("INSERT INTO items (id, owner_id, name) VALUES (@id, @name, @owner)")]
                public partial Task<int> [|AddAsync|](int id, string name, OwnerId owner);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            [OwnerScoped]
            public sealed partial class ItemStore
            {
                [Sql("INSERT INTO items (id, name, owner_id) VALUES (@id, @name, @owner)")]
                public partial Task<int> AddAsync(int id, string name, OwnerId owner);
            }
            """),
        new("RAMP0048_UpdateTransfersOwnership", "RAMP0048",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [OwnerScoped(Column = "user_id")]
                [Sql("UPDATE items SET user_id = @newOwner WHERE id = @id AND user_id = @owner")]
                public partial Task<int> [|GiveAwayAsync|](int id, OwnerId owner, string newOwner);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [OwnerScoped(Column = "user_id")]
                [Sql("UPDATE items SET name = @name WHERE id = @id AND user_id = @owner")]
                public partial Task<int> RenameAsync(int id, OwnerId owner, string name);
            }
            """),
        // Bypass shapes (issue 16): each trigger compiled without a diagnostic before the owner check read
        // joins, set operations, sub-queries, CTEs, upserts and the SQL dialects' lexical differences.
        OwnerScopeCases.Case("SelfJoin",
            OwnerScopeCases.Marked("SELECT o.id, o.name FROM items o JOIN items m ON m.id = @mine WHERE m.owner_id = @owner AND o.id = @id", "int id, int mine, OwnerId owner"),
            OwnerScopeCases.Store("SELECT o.id, o.name FROM items o JOIN items m ON m.id = o.parent_id WHERE o.owner_id = @owner AND m.owner_id = @owner AND o.id = @id", "int id, OwnerId owner")),
        OwnerScopeCases.Case("CommaJoin",
            OwnerScopeCases.Marked("SELECT o.id, o.name FROM items o, items m WHERE m.owner_id = @owner AND o.id = @id", "int id, OwnerId owner"),
            OwnerScopeCases.Store("SELECT o.id, c.name FROM items o, categories c WHERE o.owner_id = @owner AND c.id = o.category_id AND o.id = @id", "int id, OwnerId owner",
                attribute: "[OwnerScoped(SharedTables = new[] { \"categories\" })]")),
        OwnerScopeCases.Case("SpelledDifferently",
            OwnerScopeCases.Marked("select O.id, O.name from \"items\" O join main.ITEMS m on M.id = @mine where M.OWNER_ID = @owner and O.ID = @id", "int id, int mine, OwnerId owner"),
            OwnerScopeCases.Store("select O.id, O.name from \"items\" O join main.ITEMS m on M.id = O.parent_id and M.OWNER_ID = @owner where O.Owner_Id = @owner and O.ID = @id", "int id, OwnerId owner")),
        OwnerScopeCases.Case("UnionBranch",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE owner_id = @owner UNION ALL SELECT id, name FROM items WHERE id = @id", "int id, OwnerId owner", OwnerScopeCases.Items),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE owner_id = @owner UNION ALL SELECT id, name FROM archived_items WHERE owner_id = @owner AND id = @id", "int id, OwnerId owner", OwnerScopeCases.Items)),
        OwnerScopeCases.Case("TableCommand",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE owner_id = @owner UNION ALL TABLE items", "OwnerId owner", OwnerScopeCases.Items),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE owner_id = @owner UNION ALL SELECT id, name FROM items_archive WHERE owner_id = @owner", "OwnerId owner", OwnerScopeCases.Items)),
        OwnerScopeCases.Case("UpdateFromOtherAlias",
            OwnerScopeCases.Marked("UPDATE items SET name = m.name FROM items m WHERE m.owner_id = @owner AND items.id = @id", "int id, OwnerId owner", OwnerScopeCases.Rows),
            OwnerScopeCases.Store("UPDATE items SET name = m.name FROM items m WHERE items.owner_id = @owner AND m.owner_id = @owner AND items.id = @id AND m.id = @source", "int id, int source, OwnerId owner", OwnerScopeCases.Rows)),
        OwnerScopeCases.Case("DeleteUsing",
            OwnerScopeCases.Marked("DELETE FROM items USING items m WHERE m.owner_id = @owner AND items.id = @id", "int id, OwnerId owner", OwnerScopeCases.Rows),
            OwnerScopeCases.Store("DELETE FROM items USING categories c WHERE items.owner_id = @owner AND items.category_id = c.id AND c.name = @category", "string category, OwnerId owner", OwnerScopeCases.Rows,
                attribute: "[OwnerScoped(SharedTables = new[] { \"categories\" })]")),
        OwnerScopeCases.Case("OnConflictTakesOwnership",
            OwnerScopeCases.Marked("INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) DO UPDATE SET owner_id = excluded.owner_id, name = excluded.name", "int id, string name, OwnerId owner", OwnerScopeCases.Rows),
            OwnerScopeCases.Store("INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) DO UPDATE SET name = excluded.name WHERE items.owner_id = @owner", "int id, string name, OwnerId owner", OwnerScopeCases.Rows)),
        OwnerScopeCases.Case("OnConflictOverwritesOtherOwner",
            OwnerScopeCases.Marked("INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (id) DO UPDATE SET name = excluded.name", "int id, string name, OwnerId owner", OwnerScopeCases.Rows),
            OwnerScopeCases.Store("INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT (owner_id, id) DO UPDATE SET name = excluded.name", "int id, string name, OwnerId owner", OwnerScopeCases.Rows)),
        OwnerScopeCases.Case("InsertOrReplace",
            OwnerScopeCases.Marked("INSERT OR REPLACE INTO items (id, owner_id, name) VALUES (@id, @owner, @name)", "int id, string name, OwnerId owner", OwnerScopeCases.Rows),
            OwnerScopeCases.Store("INSERT OR IGNORE INTO items (id, owner_id, name) VALUES (@id, @owner, @name)", "int id, string name, OwnerId owner", OwnerScopeCases.Rows)),
        OwnerScopeCases.Case("ReplaceInto",
            OwnerScopeCases.Marked("REPLACE INTO items (id, owner_id, name) VALUES (@id, @owner, @name)", "int id, string name, OwnerId owner", OwnerScopeCases.Rows),
            OwnerScopeCases.Store("INSERT INTO items (id, owner_id, name) VALUES (@id, @owner, @name) ON CONFLICT DO NOTHING", "int id, string name, OwnerId owner", OwnerScopeCases.Rows)),
        OwnerScopeCases.Case("UpdateOrReplace",
            OwnerScopeCases.Marked("UPDATE OR REPLACE items SET id = @newId WHERE id = @id AND owner_id = @owner", "int id, int newId, OwnerId owner", OwnerScopeCases.Rows),
            OwnerScopeCases.Store("UPDATE OR ABORT items SET id = @newId WHERE id = @id AND owner_id = @owner", "int id, int newId, OwnerId owner", OwnerScopeCases.Rows)),
        OwnerScopeCases.Case("InsertSelectReadsOtherRow",
            OwnerScopeCases.Marked("INSERT INTO items (id, owner_id, name) SELECT @id, @owner, name FROM items WHERE id = @source", "int id, int source, OwnerId owner", OwnerScopeCases.Rows),
            OwnerScopeCases.Store("INSERT INTO items (id, owner_id, name) SELECT @id, @owner, name FROM items WHERE id = @source AND owner_id = @owner", "int id, int source, OwnerId owner", OwnerScopeCases.Rows)),
        OwnerScopeCases.Case("ParenthesisedOr",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE (owner_id = @owner OR 1 = 1) AND id = @id", "int id, OwnerId owner"),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE (owner_id = @owner AND (id = @id OR 1 = 1))", "int id, OwnerId owner")),
        OwnerScopeCases.Case("BetweenTakesTheAnd",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE id BETWEEN @low AND owner_id = @owner", "int low, OwnerId owner"),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE id BETWEEN @low AND @high AND owner_id = @owner", "int low, int high, OwnerId owner")),
        OwnerScopeCases.Case("FilterOnTheOtherTable",
            OwnerScopeCases.Marked("SELECT i.id, i.name FROM items i JOIN tags t ON t.item_id = i.id WHERE t.owner_id = @owner AND i.id = @id", "int id, OwnerId owner"),
            OwnerScopeCases.Store("SELECT i.id, i.name FROM items i JOIN tags t ON t.item_id = i.id AND t.owner_id = @owner WHERE i.owner_id = @owner AND i.id = @id", "int id, OwnerId owner")),
        OwnerScopeCases.Case("LeftJoinFilterOnPreservedSide",
            OwnerScopeCases.Marked("SELECT o.id, o.name FROM items m LEFT JOIN items o ON o.id = @id AND m.owner_id = @owner WHERE m.owner_id = @owner", "int id, OwnerId owner"),
            OwnerScopeCases.Store("SELECT o.id, o.name FROM items m LEFT JOIN items o ON o.id = @id AND o.owner_id = @owner WHERE m.owner_id = @owner", "int id, OwnerId owner")),
        OwnerScopeCases.Case("UnqualifiedInJoin",
            OwnerScopeCases.Marked("SELECT i.id, i.name FROM items i JOIN notes n ON n.item_id = i.id WHERE owner_id = @owner AND i.id = @id", "int id, OwnerId owner"),
            OwnerScopeCases.Store("SELECT i.id, i.name FROM items i JOIN notes n ON n.item_id = i.id WHERE i.owner_id = @owner AND n.owner_id = @owner AND i.id = @id", "int id, OwnerId owner")),
        OwnerScopeCases.Case("FilterInSubqueryOnly",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE id IN (SELECT i.id FROM items i WHERE i.owner_id = @owner) AND id = @id", "int id, OwnerId owner"),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE owner_id = @owner AND id IN (SELECT t.item_id FROM tags t WHERE t.owner_id = @owner AND t.label = @label)", "string label, OwnerId owner")),
        OwnerScopeCases.Case("SubqueryUnfiltered",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE owner_id = @owner AND EXISTS (SELECT 1 FROM secrets s WHERE s.value = @guess)", "string guess, OwnerId owner"),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE owner_id = @owner AND EXISTS (SELECT 1 FROM secrets s WHERE s.owner_id = @owner AND s.value = @guess)", "string guess, OwnerId owner")),
        OwnerScopeCases.Case("SubqueryUnqualifiedOwnerColumn",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE owner_id = @owner AND EXISTS (SELECT 1 FROM secrets WHERE owner_id = @owner AND value = @guess)", "string guess, OwnerId owner"),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE owner_id = @owner AND EXISTS (SELECT 1 FROM secrets WHERE secrets.owner_id = @owner AND value = @guess)", "string guess, OwnerId owner")),
        OwnerScopeCases.Case("CteReadsOtherRows",
            OwnerScopeCases.Marked("WITH other AS (SELECT id, name FROM items WHERE id = @id) SELECT id, name FROM other UNION ALL SELECT id, name FROM items WHERE owner_id = @owner", "int id, OwnerId owner", OwnerScopeCases.Items),
            OwnerScopeCases.Store("WITH mine AS (SELECT id, name FROM items WHERE owner_id = @owner) SELECT id, name FROM mine WHERE id = @id", "int id, OwnerId owner")),
        OwnerScopeCases.Case("DataModifyingCte",
            OwnerScopeCases.Marked("WITH gone AS (DELETE FROM items WHERE id = @id RETURNING id) SELECT id, name FROM items WHERE owner_id = @owner", "int id, OwnerId owner", OwnerScopeCases.Items),
            OwnerScopeCases.Store("WITH mine AS (SELECT id, name FROM items WHERE owner_id = @owner AND id = @id) SELECT m.id, m.name FROM mine m", "int id, OwnerId owner", OwnerScopeCases.Items)),
        OwnerScopeCases.Case("ReturningSubquery",
            OwnerScopeCases.Marked("UPDATE items SET name = @name WHERE id = @id AND owner_id = @owner RETURNING id, (SELECT x.name FROM items x WHERE x.id = @other) AS name", "int id, int other, string name, OwnerId owner"),
            OwnerScopeCases.Store("UPDATE items SET name = @name WHERE id = @id AND owner_id = @owner RETURNING id, name", "int id, string name, OwnerId owner")),
        OwnerScopeCases.Case("InTable",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE owner_id = @owner AND @guess IN secrets", "string guess, OwnerId owner", OwnerScopeCases.Items),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE owner_id = @owner AND @guess IN (SELECT s.value FROM secrets s WHERE s.owner_id = @owner)", "string guess, OwnerId owner", OwnerScopeCases.Items)),
        OwnerScopeCases.Case("SecondStatement",
            OwnerScopeCases.Marked("DELETE FROM items WHERE id = @id; DELETE FROM items WHERE id = @id AND owner_id = @owner", "int id, OwnerId owner", OwnerScopeCases.Rows),
            OwnerScopeCases.Store("DELETE FROM items WHERE id = @id AND owner_id = @owner; -- one statement", "int id, OwnerId owner", OwnerScopeCases.Rows)),
        OwnerScopeCases.Case("KeywordAsName",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE owner_id = @owner AND 0 = offset OR 1 = 1", "OwnerId owner", OwnerScopeCases.Items),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE owner_id = @owner AND 0 = \"offset\"", "OwnerId owner", OwnerScopeCases.Items)),
        OwnerScopeCases.Case("CarriageReturnEndsCommentOnPostgres",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE owner_id = @owner AND id = @id --\r UNION ALL SELECT id, name FROM items", "int id, OwnerId owner"),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE owner_id = @owner AND id = @id -- the caller's item\r\n", "int id, OwnerId owner")),
        OwnerScopeCases.Case("NestedCommentOnPostgres",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE id = @id /* /* */ AND owner_id = @owner AND name <> '' /* */ */", "int id, OwnerId owner"),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE id = @id /* the caller's own */ AND owner_id = @owner", "int id, OwnerId owner")),
        OwnerScopeCases.Case("EscapeStringOnPostgres",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE owner_id = @owner AND name = E'\\'' OR 1 = 1 --'", "OwnerId owner", OwnerScopeCases.Items),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE owner_id = @owner AND name = 'it''s'", "OwnerId owner", OwnerScopeCases.Items)),
        OwnerScopeCases.Case("DollarQuoteOnPostgres",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE id = @id AND name <> $$ AND owner_id = @owner AND $$", "int id, OwnerId owner"),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE id = @id AND owner_id = @owner AND name <> ' AND '", "int id, OwnerId owner")),
        OwnerScopeCases.Case("BracketNameOnSqlite",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE owner_id = @owner AND id IN (SELECT @id AS [--]) OR 1 = 1", "int id, OwnerId owner"),
            OwnerScopeCases.Store("SELECT id, name FROM [items] WHERE [owner_id] = @owner AND id IN (SELECT @id AS [first])", "int id, OwnerId owner")),
        new("RAMP0049", "RAMP0049",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql([|"SELECT id, name FROM items WHERE id = @id AND name = 'open"|])]
                public partial Task<Item?> FindAsync(int id);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE id = @id AND name = 'open'")]
                public partial Task<Item?> FindAsync(int id);
            }
            """),
        new("RAMP0050", "RAMP0050",
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                public ItemStore(string name) => Name = name;

                public string Name { get; }

                [Sql("SELECT id, name FROM items WHERE id = @id")]
                public partial Task<Item?> [|FindAsync|](int id);
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                public string Name => "items";

                [Sql("SELECT id, name FROM items WHERE id = @id")]
                public partial Task<Item?> FindAsync(int id);
            }
            """),
        new("RAMP0070_Interpolation", "RAMP0070",
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }

            public static class Legacy
            {
                public static System.Data.Common.DbCommand Find(System.Data.Common.DbConnection connection, string name)
                {
                    var command = connection.CreateCommand();
                    command.CommandText = [|$"SELECT id FROM items WHERE name = '{name}'"|];
                    return command;
                }
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }

            public static class Legacy
            {
                public static System.Data.Common.DbCommand Find(System.Data.Common.DbConnection connection, string name)
                {
                    var command = connection.CreateCommand();
                    command.CommandText = "SELECT id FROM items WHERE name = @name";
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "@name";
                    parameter.Value = name;
                    command.Parameters.Add(parameter);
                    return command;
                }
            }
            """),
        new("RAMP0070_Concatenation", "RAMP0070",
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }

            public static class Legacy
            {
                public static Microsoft.Data.Sqlite.SqliteCommand Find(string table)
                {
                    const string select = "SELECT id FROM ";
                    return new Microsoft.Data.Sqlite.SqliteCommand([|select + table|]);
                }
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }

            public static class Legacy
            {
                public static Microsoft.Data.Sqlite.SqliteCommand Find()
                {
                    const string select = "SELECT id FROM ";
                    return new Microsoft.Data.Sqlite.SqliteCommand(select + "items");
                }
            }
            """),
        new("RAMP0070_BuiltLocal", "RAMP0070",
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }

            public static class Legacy
            {
                public static void Delete(Npgsql.NpgsqlCommand command, int id)
                {
                    string sql = string.Format("DELETE FROM items WHERE id = {0}", id);
                    command.CommandText = [|sql|];
                }
            }
            """,
            """
            [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
            public sealed partial record Ping
            {
                static PingView Handle() => new("pong");
            }

            public static class Legacy
            {
                public static void Delete(Npgsql.NpgsqlCommand command, int id)
                {
                    string sql = "DELETE FROM items WHERE id = @id";
                    command.CommandText = sql;
                    command.Parameters.AddWithValue("id", id);
                }
            }
            """),
        new("RAMP0023_Member", "RAMP0023",
            """
            [SecureEndpoint("GET", "/notes", AllowAnonymous = true)]
            public sealed partial record [|ListNotes|]
            {
                public required OwnerId Owner { get; init; }

                static PingView Handle(ListNotes request) => new(request.Owner.Value);
            }
            """,
            """
            [SecureEndpoint("GET", "/notes", Permission = "notes:read")]
            public sealed partial record ListNotes
            {
                public required OwnerId Owner { get; init; }

                static PingView Handle(ListNotes request) => new(request.Owner.Value);
            }
            """),
        new("RAMP0023_Parameter", "RAMP0023",
            """
            [SecureEndpoint("GET", "/notes", AllowAnonymous = true)]
            public sealed partial record [|ListNotes|]
            {
                static PingView Handle(OwnerId owner) => new(owner.Value);
            }
            """,
            """
            [SecureEndpoint("GET", "/notes", Permission = "notes:read")]
            public sealed partial record ListNotes
            {
                static PingView Handle(OwnerId owner) => new(owner.Value);
            }
            """),
        new("RAMP0024_Route", "RAMP0024",
            """
            [SecureEndpoint("GET", "/users/{owner}/notes", Permission = "notes:read")]
            public sealed partial record ListNotes
            {
                public required OwnerId [|Owner|] { get; init; }

                static PingView Handle(ListNotes request) => new(request.Owner.Value);
            }
            """,
            """
            [SecureEndpoint("GET", "/users/me/notes", Permission = "notes:read")]
            public sealed partial record ListNotes
            {
                public required OwnerId Owner { get; init; }

                static PingView Handle(ListNotes request) => new(request.Owner.Value);
            }
            """),
        new("RAMP0024_Query", "RAMP0024",
            """
            [SecureEndpoint("POST", "/notes", Permission = "notes:write")]
            public sealed partial record AddNote
            {
                [Microsoft.AspNetCore.Mvc.FromQuery] public required OwnerId [|Owner|] { get; init; }

                static PingView Handle(AddNote request) => new(request.Owner.Value);
            }
            """,
            """
            [SecureEndpoint("POST", "/notes", Permission = "notes:write")]
            public sealed partial record AddNote
            {
                public required OwnerId Owner { get; init; }

                static PingView Handle(AddNote request) => new(request.Owner.Value);
            }
            """),
        new("RAMP0025_NoLimit", "RAMP0025",
            """
            [SecureEndpoint("POST", "/login", AllowAnonymous = true, UseDefaultRateLimit = false, RateLimitPartition = RateLimitPartitioning.ByAddress)]
            public sealed partial record [|Login|]
            {
                static PingView Handle() => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/login", AllowAnonymous = true, UseDefaultRateLimit = false, RateLimit = "5/minute", RateLimitPartition = RateLimitPartitioning.ByAddress)]
            public sealed partial record Login
            {
                static PingView Handle() => new("ok");
            }
            """),
        new("RAMP0025_UnknownValue", "RAMP0025",
            """
            [SecureEndpoint("POST", "/refresh", AllowAnonymous = true, UseDefaultRateLimit = false, RateLimitPartition = (RateLimitPartitioning)7)]
            public sealed partial record [|Refresh|]
            {
                static PingView Handle() => new("ok");
            }
            """,
            """
            [SecureEndpoint("POST", "/refresh", AllowAnonymous = true, RateLimitPartition = RateLimitPartitioning.ByAddress)]
            public sealed partial record Refresh
            {
                static PingView Handle() => new("ok");
            }
            """),
    };

    public static DiagnosticCase Get(string name) => All.Single(c => c.Name == name);

    public static TheoryData<string> Parallel => new(All.Where(c => !c.UsesFailureSeam).Select(c => c.Name));

    public static TheoryData<string> FailureSeam => new(All.Where(c => c.UsesFailureSeam).Select(c => c.Name));
}
