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
        OwnerScopeCases.Case("QuotedFunctionRunsSqlText",
            OwnerScopeCases.Marked("SELECT id, \"query_to_xml\"('SELECT name FROM items', true, false, '')::text AS name FROM items WHERE id = @id AND owner_id = @owner", "int id, OwnerId owner"),
            OwnerScopeCases.Store("SELECT id, lower(name) AS name FROM items WHERE id = @id AND owner_id = @owner", "int id, OwnerId owner")),
        OwnerScopeCases.Case("SchemaQualifiedFunctionRunsSqlText",
            OwnerScopeCases.Marked("SELECT id, pg_catalog.\"table_to_xml\"('items', true, false, '')::text AS name FROM items WHERE id = @id AND owner_id = @owner", "int id, OwnerId owner"),
            OwnerScopeCases.Store("SELECT id, pg_catalog.\"upper\"(name) AS name FROM items WHERE id = @id AND owner_id = @owner", "int id, OwnerId owner")),
        OwnerScopeCases.Case("TsStatRunsItsQuery",
            OwnerScopeCases.Marked("SELECT id, (ts_stat('SELECT to_tsvector(''simple'', name) FROM items')).word AS name FROM items WHERE id = @id AND owner_id = @owner", "int id, OwnerId owner", OwnerScopeCases.Items),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE owner_id = @owner AND to_tsvector('simple', name) @@ plainto_tsquery('simple', @words)", "string words, OwnerId owner", OwnerScopeCases.Items)),
        OwnerScopeCases.Case("UndeclaredFunction",
            OwnerScopeCases.Marked("SELECT id, similarity(name, @words)::text AS name FROM items WHERE owner_id = @owner ORDER BY 2 DESC", "string words, OwnerId owner", OwnerScopeCases.Items),
            OwnerScopeCases.Store("SELECT id, similarity(name, @words)::text AS name FROM items WHERE owner_id = @owner ORDER BY 2 DESC", "string words, OwnerId owner", OwnerScopeCases.Items,
                attribute: "[OwnerScoped(AllowedFunctions = new[] { \"similarity\" })]")),
        OwnerScopeCases.Case("TclVariableOnSqlite",
            OwnerScopeCases.Marked("SELECT id, name FROM items WHERE owner_id = @owner AND id = @id(') OR 1=1 --')", "int id, OwnerId owner", OwnerScopeCases.Items),
            OwnerScopeCases.Store("SELECT id, name FROM items WHERE owner_id = @owner AND id = @id AND name <> '@id(x)'", "int id, OwnerId owner", OwnerScopeCases.Items)),
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
        new("RAMP0070_AssignedAfterDeclaration", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Delete(System.Data.Common.DbCommand command, int id)
                {
                    string sql;
                    sql = "DELETE FROM items WHERE id = " + id;
                    command.CommandText = [|sql|];
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Delete(System.Data.Common.DbCommand command, int id, bool soft, int returning)
                {
                    string sql;
                    if (soft)
                    {
                        sql = "UPDATE items SET deleted = 1 WHERE id = @id";
                    }
                    else
                    {
                        sql = "DELETE FROM items WHERE id = @id";
                    }

                    string tail;
                    switch (returning)
                    {
                        case 0: tail = ""; break;
                        case 1: tail = " RETURNING id"; break;
                        default: tail = " RETURNING id, name"; break;
                    }

                    string end = returning switch { 0 => ";", _ => " ;" };
                    command.CommandText = sql + tail + end;
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "@id";
                    parameter.Value = id;
                    command.Parameters.Add(parameter);
                }
            }
            """),
        new("RAMP0070_SelfConcatenation", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string name)
                {
                    var sql = "SELECT id FROM items";
                    sql = sql + " WHERE name = '" + name + "'";
                    command.CommandText = [|sql|];
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string name)
                {
                    var sql = "SELECT id FROM items";
                    sql = sql + " WHERE name = @name";
                    command.CommandText = sql;
                    command.Parameters.AddWithValue("@name", name);
                }
            }
            """),
        new("RAMP0070_CompoundAppend", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string? owner)
                {
                    string sql = "SELECT id FROM items WHERE 1 = 1";
                    if (owner is not null)
                    {
                        sql += " AND owner = '" + owner + "'";
                    }

                    command.CommandText = [|sql|];
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string? owner)
                {
                    string sql = "SELECT id FROM items WHERE 1 = 1";
                    if (owner is not null)
                    {
                        sql += " AND owner = @owner";
                        command.Parameters.AddWithValue("@owner", owner);
                    }

                    command.CommandText = sql;
                }
            }
            """),
        new("RAMP0070_HelperReturn", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Delete(System.Data.Common.DbCommand command, int id)
                {
                    command.CommandText = [|DeleteSql(id)|];
                }

                private static string DeleteSql(int id) => "DELETE FROM items WHERE id = " + id;
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Delete(System.Data.Common.DbCommand command, int id)
                {
                    command.CommandText = DeleteSql() + Where("id");
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "@id";
                    parameter.Value = id;
                    command.Parameters.Add(parameter);
                }

                private static string DeleteSql() => "DELETE FROM items";

                private static string Where(string column) => " WHERE " + column + " = @" + column;
            }
            """),
        new("RAMP0070_HelperOneReturnBuilt", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Npgsql.NpgsqlCommand command, string name, bool exact)
                {
                    command.CommandText = [|Queries.ByName(name, exact)|];
                }
            }

            internal static class Queries
            {
                internal static string ByName(string name, bool exact)
                {
                    if (exact)
                    {
                        return "SELECT id FROM items WHERE name = @name";
                    }

                    return "SELECT id FROM items WHERE name LIKE '" + name + "%'";
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Npgsql.NpgsqlCommand command, string name, bool exact)
                {
                    command.CommandText = Queries.ByName(exact);
                    command.Parameters.AddWithValue("name", name);
                }
            }

            internal static class Queries
            {
                internal static string ByName(bool exact)
                {
                    if (exact)
                    {
                        return "SELECT id FROM items WHERE name = @name";
                    }

                    return "SELECT id FROM items WHERE name LIKE @name || '%'";
                }
            }
            """),
        new("RAMP0070_ParameterBuiltByCaller", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Delete(System.Data.Common.DbCommand command, int id)
                {
                    Execute(command, [|"DELETE FROM items WHERE id = " + id|]);
                }

                private static void Execute(System.Data.Common.DbCommand command, string sql)
                {
                    command.CommandText = sql;
                    command.ExecuteNonQuery();
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                private const string Table = "items";
                private static readonly string Purged = $"DELETE FROM {Table} WHERE deleted = 1";

                public static void Delete(System.Data.Common.DbCommand command, int id)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "@id";
                    parameter.Value = id;
                    command.Parameters.Add(parameter);
                    Execute(command, "DELETE FROM " + Table + " WHERE id = @id");
                }

                public static void Purge(System.Data.Common.DbCommand command) => Execute(command, Purged);

                public static void Drop(System.Data.Common.DbCommand command) => Execute(command, "DROP TABLE " + nameof(Legacy));

                private static void Execute(System.Data.Common.DbCommand command, string sql)
                {
                    command.CommandText = sql;
                    command.ExecuteNonQuery();
                }
            }
            """),
        new("RAMP0070_ParameterThroughTwoMethods", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteConnection connection, string name)
                {
                    Query(connection, [|$"SELECT id FROM items WHERE name = '{name}'"|], name);
                }

                private static void Query(Microsoft.Data.Sqlite.SqliteConnection connection, string sql, string value)
                {
                    using var command = Prepare(connection, sql);
                    command.Parameters.AddWithValue("@name", value);
                    command.ExecuteReader().Dispose();
                }

                private static Microsoft.Data.Sqlite.SqliteCommand Prepare(Microsoft.Data.Sqlite.SqliteConnection connection, string text) =>
                    new(text, connection);
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteConnection connection, string name)
                {
                    Query(connection, "SELECT id FROM items WHERE name = @name", name);
                }

                private static void Query(Microsoft.Data.Sqlite.SqliteConnection connection, string sql, string value)
                {
                    using var command = Prepare(connection, sql);
                    command.Parameters.AddWithValue("@name", value);
                    command.ExecuteReader().Dispose();
                }

                private static Microsoft.Data.Sqlite.SqliteCommand Prepare(Microsoft.Data.Sqlite.SqliteConnection connection, string text) =>
                    new(text, connection);
            }
            """),
        new("RAMP0070_LocalFunction", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string name)
                {
                    command.CommandText = [|Build()|];

                    string Build() => "SELECT id FROM items WHERE name = '" + name + "'";
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string name)
                {
                    command.CommandText = Build();
                    command.Parameters.AddWithValue("@name", name);

                    static string Build() => "SELECT id FROM items WHERE name = @name";
                }
            }
            """),
        new("RAMP0070_StringInsert", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string filter)
                {
                    const string select = "SELECT id FROM items";
                    string sql = select.Insert(select.Length, " WHERE " + filter);
                    command.CommandText = [|sql|];
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string filter)
                {
                    const string select = "SELECT id FROM items";
                    string sql = select.Insert(select.Length, " WHERE name = @name");
                    command.CommandText = sql;
                    command.Parameters.AddWithValue("@name", filter);
                }
            }
            """),
        new("RAMP0070_StringReplace", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Count(Microsoft.Data.Sqlite.SqliteCommand command, string table)
                {
                    string sql;
                    sql = "SELECT COUNT(*) FROM {table}".Replace("{table}", table);
                    command.CommandText = [|sql|];
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Count(Microsoft.Data.Sqlite.SqliteCommand command, bool archive)
                {
                    string sql;
                    sql = "SELECT COUNT(*) FROM {table}".Replace("{table}", archive ? "items_archive" : "items");
                    command.CommandText = sql;
                }
            }
            """),
        new("RAMP0070_StringConcat", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string column)
                {
                    var sql = string.Concat(new[] { "SELECT ", column, " FROM items" });
                    command.CommandText = [|sql|];
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string name)
                {
                    var sql = string.Concat(new[] { "SELECT id", " FROM items", " WHERE name = @name" });
                    command.CommandText = sql;
                    command.Parameters.AddWithValue("@name", name);
                }
            }
            """),
        new("RAMP0070_StringJoin", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string? name, string? owner)
                {
                    var filters = new List<string> { "1 = 1" };
                    if (name is not null)
                    {
                        filters.Add("name = '" + name + "'");
                    }

                    if (owner is not null)
                    {
                        filters.Add("owner = @owner");
                        command.Parameters.AddWithValue("@owner", owner);
                    }

                    command.CommandText = [|"SELECT id FROM items WHERE " + string.Join(" AND ", filters)|];
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string? name, string? owner)
                {
                    var filters = new List<string> { "1 = 1" };
                    if (name is not null)
                    {
                        filters.Add("name = @name");
                        command.Parameters.AddWithValue("@name", name);
                    }

                    if (owner is not null)
                    {
                        filters.Add("owner = @owner");
                        command.Parameters.AddWithValue("@owner", owner);
                    }

                    command.CommandText = "SELECT id FROM items WHERE " + string.Join(" AND ", filters);
                }
            }
            """),
        new("RAMP0070_InterpolationInLocal", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                private static readonly string Columns = string.Join(", ", new[] { "id", "name" });

                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string table)
                {
                    string sql;
                    sql = $"SELECT {Columns} FROM {table}";
                    command.CommandText = [|sql|];
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                private const string Table = "items";
                private static readonly string Columns = string.Join(", ", new[] { "id", "name" });

                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string name)
                {
                    string sql;
                    sql = $"SELECT {Columns} FROM {Table} WHERE name = @name";
                    command.CommandText = sql;
                    command.Parameters.AddWithValue("@name", name);
                }
            }
            """),
        new("RAMP0070_StringBuilder", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string? name)
                {
                    var sql = new System.Text.StringBuilder("SELECT id FROM items WHERE 1 = 1");
                    if (name is not null)
                    {
                        sql.Append(" AND name = '").Append(name).Append('\'');
                    }

                    command.CommandText = [|sql.ToString()|];
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string? name)
                {
                    var sql = new System.Text.StringBuilder("SELECT id FROM items WHERE 1 = 1");
                    if (name is not null)
                    {
                        sql.Append(" AND name = ").Append("@name");
                        command.Parameters.AddWithValue("@name", name);
                    }

                    sql.AppendLine().Append("ORDER BY id");
                    command.CommandText = sql.ToString();
                }
            }
            """),
        new("RAMP0070_StringCreate", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, int id)
                {
                    command.CommandText = [|string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SELECT name FROM items WHERE id = {id}")|];
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                private static readonly string Table = "items";

                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, int id)
                {
                    command.CommandText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"SELECT name FROM {Table} WHERE id = @id");
                    command.Parameters.AddWithValue("@id", id);
                }
            }
            """),
        new("RAMP0070_RampartCommandAsync", "RAMP0070",
            """
            public static class Legacy
            {
                private static readonly int Slot = Rampart.Data.RampartSession.AllocateSlot();

                public static async Task<object?> CountAsync(Rampart.Data.RampartSession session, string owner, CancellationToken cancellationToken)
                {
                    var command = await session.CommandAsync(Slot, [|"SELECT COUNT(*) FROM items WHERE owner_id = '" + owner + "'"|], static c => { }, cancellationToken);
                    return await command.ExecuteScalarAsync(cancellationToken);
                }
            }
            """,
            """
            public sealed record Item(int Id, string Name);

            public sealed partial class ItemStore
            {
                [Sql("SELECT id, name FROM items WHERE owner_id = @owner")]
                public partial Task<IReadOnlyList<Item>> ListAsync(string owner);
            }
            """),
        new("RAMP0070_DataSourceCreateCommand", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static System.Data.Common.DbCommand Find(System.Data.Common.DbDataSource dataSource, string name) =>
                    dataSource.CreateCommand([|"SELECT id FROM items WHERE name = '" + name + "'"|]);
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static System.Data.Common.DbCommand Find(System.Data.Common.DbDataSource dataSource, string name)
                {
                    var command = dataSource.CreateCommand("SELECT id FROM items WHERE name = @name");
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = "@name";
                    parameter.Value = name;
                    command.Parameters.Add(parameter);
                    return command;
                }
            }
            """),
        new("RAMP0070_BatchCommand", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Delete(Npgsql.NpgsqlBatch batch, string name)
                {
                    batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand([|"DELETE FROM items WHERE name = '" + name + "'"|]));
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Delete(Npgsql.NpgsqlBatch batch, string name)
                {
                    var command = new Npgsql.NpgsqlBatchCommand { CommandText = "DELETE FROM items WHERE name = @name" };
                    command.Parameters.AddWithValue("name", name);
                    batch.BatchCommands.Add(command);
                }
            }
            """),
        new("RAMP0070_ObjectInitializer", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static Microsoft.Data.Sqlite.SqliteCommand Find(string name) =>
                    new() { CommandText = [|"SELECT id FROM items WHERE name = '" + name + "'"|] };
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static Microsoft.Data.Sqlite.SqliteCommand Find(string name) =>
                    new() { CommandText = "SELECT id FROM items WHERE name = @name", Parameters = { new Microsoft.Data.Sqlite.SqliteParameter("@name", name) } };
            }
            """),
        new("RAMP0070_SwitchArm", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, int mode, string name)
                {
                    var sql = mode switch
                    {
                        0 => "SELECT id FROM items",
                        1 => "SELECT id FROM items WHERE name = @name",
                        _ => "SELECT id FROM items WHERE name LIKE '" + name + "%'",
                    };
                    command.CommandText = [|sql|];
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, int mode, string name)
                {
                    var sql = mode switch
                    {
                        0 => "SELECT id FROM items",
                        1 => "SELECT id FROM items WHERE name = @name",
                        _ => "SELECT id FROM items WHERE name LIKE @name || '%'",
                    };
                    command.CommandText = mode > 5 ? sql + " LIMIT 5" : sql;
                    command.Parameters.AddWithValue("@name", name);
                }
            }
            """),
        new("RAMP0070_PropertySetter", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string name)
                {
                    var query = new Query(command);
                    query.Text = [|"SELECT id FROM items WHERE name = '" + name + "'"|];
                }
            }

            internal sealed class Query(Microsoft.Data.Sqlite.SqliteCommand command)
            {
                public string Text
                {
                    get => command.CommandText;
                    set => command.CommandText = value;
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Find(Microsoft.Data.Sqlite.SqliteCommand command, string name)
                {
                    var query = new Query(command);
                    query.Text = "SELECT id FROM items WHERE name = @name";
                    command.Parameters.AddWithValue("@name", name);
                }
            }

            internal sealed class Query(Microsoft.Data.Sqlite.SqliteCommand command)
            {
                public string Text
                {
                    get => command.CommandText;
                    set => command.CommandText = value;
                }
            }
            """),
        new("RAMP0070_ConstructorParameter", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static Microsoft.Data.Sqlite.SqliteCommand Find(string name) =>
                    new Query([|"SELECT id FROM items WHERE name = '" + name + "'"|]).Command;
            }

            internal sealed class Query
            {
                public Query(string text) => Command = new Microsoft.Data.Sqlite.SqliteCommand(text);

                public Microsoft.Data.Sqlite.SqliteCommand Command { get; }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static Microsoft.Data.Sqlite.SqliteCommand Find(string name)
                {
                    var command = new Query("SELECT id FROM items WHERE name = @name").Command;
                    command.Parameters.AddWithValue("@name", name);
                    return command;
                }
            }

            internal sealed class Query
            {
                public Query(string text) => Command = new Microsoft.Data.Sqlite.SqliteCommand(text);

                public Microsoft.Data.Sqlite.SqliteCommand Command { get; }
            }
            """),
        new("RAMP0070_FieldFromConstructorParameter", "RAMP0070",
            SqlPing + """
            public sealed class Repository
            {
                private readonly string _table;

                public Repository(string table) => _table = table;

                public void Count(Microsoft.Data.Sqlite.SqliteCommand command) =>
                    command.CommandText = [|"SELECT COUNT(*) FROM " + _table|];
            }
            """,
            SqlPing + """
            public sealed class Repository
            {
                private readonly string _table;

                public Repository(bool archive) => _table = archive ? "items_archive" : "items";

                public void Count(Microsoft.Data.Sqlite.SqliteCommand command) =>
                    command.CommandText = "SELECT COUNT(*) FROM " + _table;
            }
            """),
        new("RAMP0070_CountChosenByCaller", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                private const string Sql = "SELECT id FROM items WHERE owner_id = @owner AND id = @id";

                public static void Find(System.Data.Common.DbCommand command, int cut) => command.CommandText = [|Sql.Remove(26, cut)|];
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                private const string Sql = "SELECT id FROM items WHERE owner_id = @owner AND id = @id";

                public static void Find(System.Data.Common.DbCommand command, bool any) =>
                    command.CommandText = any ? Sql.Remove(Sql.IndexOf(" AND id", StringComparison.Ordinal)) : Sql;
            }
            """),
        new("RAMP0070_NpgsqlCopy", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static string Export(Npgsql.NpgsqlConnection connection, string name)
                {
                    using var reader = connection.BeginTextExport([|"COPY (SELECT id FROM items WHERE name = '" + name + "') TO STDOUT"|]);
                    return reader.ReadToEnd();
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static string Export(Npgsql.NpgsqlConnection connection)
                {
                    using var reader = connection.BeginTextExport("COPY (SELECT id FROM items) TO STDOUT");
                    return reader.ReadToEnd();
                }
            }
            """),
        new("RAMP0070_DataAdapter", "RAMP0070",
            SqlPing + """
            public static class Legacy
            {
                public static System.Data.DataTable Find(Npgsql.NpgsqlConnection connection, string name)
                {
                    var table = new System.Data.DataTable();
                    new Npgsql.NpgsqlDataAdapter([|"SELECT id FROM items WHERE name = '" + name + "'"|], connection).Fill(table);
                    return table;
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static System.Data.DataTable Find(Npgsql.NpgsqlConnection connection, string name)
                {
                    var table = new System.Data.DataTable();
                    var adapter = new Npgsql.NpgsqlDataAdapter("SELECT id FROM items WHERE name = @name", connection);
                    adapter.SelectCommand!.Parameters.AddWithValue("name", name);
                    adapter.Fill(table);
                    return table;
                }
            }
            """),
        new("RAMP0071_CollectionProperty", "RAMP0071",
            SqlPing + """
            public sealed class Query
            {
                public System.Text.StringBuilder Text { get; } = new("SELECT id FROM items");
            }

            public static class Legacy
            {
                public static void Find(System.Data.Common.DbCommand command, string name)
                {
                    var query = new Query();
                    query.Text.Append(" WHERE name = '").Append(name).Append('\'');
                    command.CommandText = [|query.Text.ToString()|];
                }
            }
            """,
            SqlPing + """
            public sealed class Query
            {
                public string Text { get; } = "SELECT id FROM items";
            }

            public static class Legacy
            {
                public static void Find(System.Data.Common.DbCommand command) => command.CommandText = new Query().Text;
            }
            """),
        new("RAMP0071_UnknownCollectionMethod", "RAMP0071",
            SqlPing + """
            public static class Legacy
            {
                public static void Find(System.Data.Common.DbCommand command, string sql)
                {
                    var queries = new[] { "SELECT id FROM items", "SELECT id FROM archive" };
                    queries.SetValue(sql, 1);
                    command.CommandText = [|queries[1]|];
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Find(System.Data.Common.DbCommand command)
                {
                    var queries = new[] { "SELECT id FROM items", "SELECT id FROM archive" };
                    queries[1] = "SELECT id FROM items_archive";
                    command.CommandText = queries[1];
                }
            }
            """),
        new("RAMP0071_PublicParameter", "RAMP0071",
            SqlPing + """
            public static class Legacy
            {
                public static void Execute(System.Data.Common.DbCommand command, string sql)
                {
                    command.CommandText = [|sql|];
                    command.ExecuteNonQuery();
                }
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void Purge(System.Data.Common.DbCommand command) => Execute(command, "DELETE FROM items WHERE deleted = 1");

                private static void Execute(System.Data.Common.DbCommand command, string sql)
                {
                    command.CommandText = sql;
                    command.ExecuteNonQuery();
                }
            }
            """),
        new("RAMP0071_MutableField", "RAMP0071",
            SqlPing + """
            public static class Queries
            {
                public static string FindAll = "SELECT id FROM items";
            }

            public static class Legacy
            {
                public static void FindAll(System.Data.Common.DbCommand command) => command.CommandText = [|Queries.FindAll|];
            }
            """,
            SqlPing + """
            public static class Queries
            {
                public static readonly string FindAll = "SELECT id FROM items";
            }

            public static class Legacy
            {
                public static void FindAll(System.Data.Common.DbCommand command) => command.CommandText = Queries.FindAll;
            }
            """),
        new("RAMP0071_ValueFromOutside", "RAMP0071",
            SqlPing + """
            public static class Legacy
            {
                public static void FindAll(System.Data.Common.DbCommand command) =>
                    command.CommandText = [|System.IO.File.ReadAllText("find-all.sql")|];
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static void FindAll(System.Data.Common.DbCommand command) =>
                    command.CommandText = "SELECT id FROM items" + System.Environment.NewLine + "ORDER BY id" + string.Empty;
            }
            """),
        new("RAMP0071_InterfaceCall", "RAMP0071",
            SqlPing + """
            public interface IQueries
            {
                string FindAll { get; }
            }

            public static class Legacy
            {
                public static void FindAll(System.Data.Common.DbCommand command, IQueries queries) =>
                    command.CommandText = [|queries.FindAll|];
            }
            """,
            SqlPing + """
            public sealed class Queries
            {
                public string FindAll => "SELECT id FROM items";
            }

            public static class Legacy
            {
                public static void FindAll(System.Data.Common.DbCommand command, Queries queries) =>
                    command.CommandText = queries.FindAll;
            }
            """),
        new("RAMP0071_DelegateEscape", "RAMP0071",
            SqlPing + """
            public static class Legacy
            {
                public static Action<System.Data.Common.DbCommand, string> Runner() => [|Execute|];

                private static void Execute(System.Data.Common.DbCommand command, string sql) => command.CommandText = sql;
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static Action<System.Data.Common.DbCommand> Runner() => c => Execute(c, "DELETE FROM items WHERE deleted = 1");

                private static void Execute(System.Data.Common.DbCommand command, string sql) => command.CommandText = sql;
            }
            """),
        new("RAMP0071_LambdaParameter", "RAMP0071",
            SqlPing + """
            public static class Legacy
            {
                public static Action<string> Runner(System.Data.Common.DbCommand command) => sql => command.CommandText = [|sql|];
            }
            """,
            SqlPing + """
            public static class Legacy
            {
                public static Action Runner(System.Data.Common.DbCommand command) => () => command.CommandText = "DELETE FROM items WHERE deleted = 1";
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

    // The endpoint every RAMP0070/RAMP0071 case carries, so that its non-triggering source generates code.
    private const string SqlPing = """
        [SecureEndpoint("GET", "/ping", AllowAnonymous = true)]
        public sealed partial record Ping
        {
            static PingView Handle() => new("pong");
        }

        """;

    public static DiagnosticCase Get(string name) => All.Single(c => c.Name == name);

    public static TheoryData<string> Parallel => new(All.Where(c => !c.UsesFailureSeam).Select(c => c.Name));

    public static TheoryData<string> FailureSeam => new(All.Where(c => c.UsesFailureSeam).Select(c => c.Name));
}
