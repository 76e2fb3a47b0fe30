using System;
using Rampart.Generator.Tests.Infrastructure;

namespace Rampart.Generator.Tests.Execution;

/// <summary>
/// Contracts plus a <c>Harness</c> class, compiled with the generator once, emitted and loaded in a
/// collectible load context. Tests call the harness, which calls the generated code.
/// </summary>
public sealed class ExecutionFixture : IDisposable
{
    public const string Source = """
        using System;
        using System.Collections.Generic;
        using System.ComponentModel.DataAnnotations;
        using System.Globalization;
        using System.IO;
        using System.Linq;
        using System.Security.Claims;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Http.HttpResults;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.Extensions.DependencyInjection;
        using Rampart;
        using Rampart.Binding;
        using Rampart.Hosting;
        using Rampart.Validation;

        namespace Exec;

        public enum Size { Small, Large }

        public sealed record Line
        {
            [MaxLength(8)] public required string Sku { get; init; }
            [Range(1, 10)] public required int Qty { get; init; }
        }

        [SecureEndpoint("POST", "/orders", Permission = "orders:write")]
        public sealed partial record PlaceOrder
        {
            [RegularExpression("^[A-Z]{2}[0-9]{3}$"), MaxLength(5)] public required string Code { get; init; }
            [Range(1, 100)] public int Count { get; init; } = 1;
            [MaxLength(20)] public string? Note { get; init; }
            public Size Size { get; init; } = Size.Small;
            [Length(1, 3)] public required Line[] Lines { get; init; }
            [MaxLength(4)] public List<string>? Tags { get; init; }
            public bool Gift { get; init; }  = false;
            public decimal? Price { get; init; }
            public Guid? Ref { get; init; }
            [EmailAddress, MaxLength(50)] public string? Email { get; init; }

            static void Validate(PlaceOrder request, ref ValidationErrors? errors)
            {
                if (request.Gift && request.Note is null)
                {
                    ValidationErrors.Add(ref errors, "note", "A gift needs a note.");
                }
            }

            static NoContent Handle(PlaceOrder request) => TypedResults.NoContent();
        }

        [SecureEndpoint("PUT", "/items/{id}", Permission = "items:write")]
        public sealed partial record UpdateItem
        {
            public required int Id { get; init; }
            [MaxLength(10)] public required string Name { get; init; }

            static Ok<ItemView> Handle(UpdateItem request) => TypedResults.Ok(new ItemView(request.Id, request.Name));
        }

        public sealed record ItemView(int Id, string Name);

        [SecureEndpoint("POST", "/people", Permission = "people:write")]
        public sealed partial record AddPerson([property: MaxLength(10)] string Name, [Range(0, 150)] int Age = 30)
        {
            static NoContent Handle(AddPerson request) => TypedResults.NoContent();
        }

        [SecureEndpoint("POST", "/patterns", Permission = "patterns:write")]
        public sealed partial record CheckPattern
        {
            [RegularExpression("^(ab|cd)+$"), MaxLength(20)] public required string Pairs { get; init; }

            static NoContent Handle(CheckPattern request) => TypedResults.NoContent();
        }

        public sealed class Clock
        {
            public DateTimeOffset Now => new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);
        }

        public sealed record ReportView(int Year, string? Region, int PageSize, long? After, decimal MinTotal, double? Ratio, bool IncludeDrafts, Guid? Owner, DateTimeOffset? Since, Format Format, string SortBy, DateTimeOffset GeneratedAt);

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

            static ReportView Handle(GetReport r, Clock clock) =>
                new(r.Year, r.Region, r.PageSize, r.After, r.MinTotal, r.Ratio, r.IncludeDrafts, r.Owner, r.Since, r.Format, r.SortBy, clock.Now);
        }

        [SecureEndpoint("GET", "/things/{id}", AllowAnonymous = true)]
        public sealed partial record FindThing
        {
            public required int Id { get; init; }

            static async Task<Results<Ok<ItemView>, NotFound, ProblemHttpResult>> HandleAsync(FindThing request, CancellationToken ct)
            {
                await Task.Yield();
                return request.Id switch
                {
                    1 => TypedResults.Ok(new ItemView(1, "one")),
                    2 => TypedResults.Problem(statusCode: 409, title: "Taken", detail: "It is taken."),
                    _ => TypedResults.NotFound(),
                };
            }
        }

        public sealed record NoteView(string Id, string Owner, string Parameter, string Text);

        [SecureEndpoint("PUT", "/notes/{id}", Permission = "notes:write")]
        public sealed partial record SaveNote
        {
            [MaxLength(20)] public required string Id { get; init; }
            public required OwnerId Owner { get; init; }
            [MaxLength(100)] public required string Text { get; init; }

            static NoteView Handle(SaveNote request, OwnerId owner) => new(request.Id, request.Owner.Value, owner.Value, request.Text);
        }

        [SecureEndpoint("GET", "/notes", Permission = "notes:read")]
        public sealed partial record ListNotes
        {
            public required OwnerId Owner { get; init; }
            [MaxLength(20)] public string? Tag { get; init; }

            static NoteView Handle(ListNotes request) => new("-", request.Owner.Value, "-", request.Tag ?? "-");
        }

        public static class Harness
        {
            public static readonly JsonLimits Limits = new(8, 100, 20);

            static string Error(BindingError e) => $"{e.Status} {e.Path}: {e.Message}";

            static string Dump(PlaceOrder v) =>
                $"code={v.Code} count={v.Count} note={v.Note ?? "null"} size={v.Size} lines=[{string.Join(",", v.Lines.Select(l => l.Sku + "x" + l.Qty))}] " +
                $"tags={(v.Tags is null ? "null" : "[" + string.Join(",", v.Tags) + "]")} gift={v.Gift} price={v.Price?.ToString(CultureInfo.InvariantCulture) ?? "null"} " +
                $"ref={v.Ref?.ToString() ?? "null"} email={v.Email ?? "null"}";

            public static string ReadOrder(string json, int maxDepth) =>
                PlaceOrder.RampartEndpoint.TryReadJson(Encoding.UTF8.GetBytes(json), new JsonLimits(maxDepth, 100, 20), out var v, out var e) ? "ok " + Dump(v) : Error(e);

            public static string ReadItem(string json, int routeId) =>
                UpdateItem.RampartEndpoint.ReadRequest(Encoding.UTF8.GetBytes(json), Limits, new ValueTuple<int>(routeId), out var v, out var e) ? $"ok id={v.Id} name={v.Name}" : Error(e);

            public static string ReadPerson(string json) =>
                AddPerson.RampartEndpoint.TryReadJson(Encoding.UTF8.GetBytes(json), Limits, out var v, out var e) ? $"ok name={v.Name} age={v.Age}" : Error(e);

            static string Validate<T>(T value, Func<T, ValidationErrors?, bool> validate)
            {
                bool quick = validate(value, null);
                var errors = new ValidationErrors();
                bool full = validate(value, errors);
                if (quick != full) return $"inconsistent: quick={quick} full={full}";
                if (full != (errors.Count == 0)) return "inconsistent: result vs errors";
                return full ? "valid" : string.Join(" | ", errors.Entries.Select(x => x.Key + ": " + string.Join(" / ", x.Value)));
            }

            public static string ValidateOrder(string json) =>
                PlaceOrder.RampartEndpoint.TryReadJson(Encoding.UTF8.GetBytes(json), Limits, out var v, out var e)
                    ? Validate(v, PlaceOrder.RampartEndpoint.Validate) : "binding " + Error(e);

            public static string ValidatePerson(string json) =>
                AddPerson.RampartEndpoint.TryReadJson(Encoding.UTF8.GetBytes(json), Limits, out var v, out var e)
                    ? Validate(v, AddPerson.RampartEndpoint.Validate) : "binding " + Error(e);

            public static string ValidatePattern(string value) =>
                Validate(new CheckPattern { Pairs = value }, CheckPattern.RampartEndpoint.Validate);

            static long Allocations<T>(T value, Func<T, ValidationErrors?, bool> validate, int iterations)
            {
                bool all = true;
                for (int i = 0; i < iterations; i++) all &= validate(value, null); // warm-up: JIT, statics, regex caches
                long before = GC.GetAllocatedBytesForCurrentThread();
                for (int i = 0; i < iterations; i++) all &= validate(value, null);
                long after = GC.GetAllocatedBytesForCurrentThread();
                if (!all) throw new InvalidOperationException("The measured value is not valid.");
                return after - before;
            }

            public static long OrderValidationAllocations(int iterations)
            {
                var value = new PlaceOrder
                {
                    Code = "AB123", Count = 3, Note = "for you", Size = Size.Large, Gift = true, Email = "a@example.com",
                    Lines = new[] { new Line { Sku = "A-1", Qty = 2 }, new Line { Sku = "B-2", Qty = 10 } },
                    Tags = new List<string> { "x", "y" },
                };
                // The delegate is created once, outside the measurement.
                Func<PlaceOrder, ValidationErrors?, bool> validate = PlaceOrder.RampartEndpoint.Validate;
                return Allocations(value, validate, iterations);
            }

            public static long PatternValidationAllocations(int iterations)
            {
                Func<CheckPattern, ValidationErrors?, bool> validate = CheckPattern.RampartEndpoint.Validate;
                return Allocations(new CheckPattern { Pairs = "abcdab" }, validate, iterations);
            }

            /// <summary>Runs an endpoint's InvokeAsync over a DefaultHttpContext; returns "status\nheaders\nbody".</summary>
            public static async Task<string> Invoke(string endpoint, string method, string query, string? routeName, string? routeValue, string? scopes, string? contentType, string? body)
            {
                var services = new ServiceCollection().AddSingleton<Clock>().BuildServiceProvider();
                var context = new DefaultHttpContext { RequestServices = services };
                context.Request.Method = method;
                context.Request.QueryString = new QueryString(query);
                if (routeName is not null) context.Request.RouteValues[routeName] = routeValue;
                // "nosub " before the scopes: an authenticated principal without a subject.
                bool noSubject = scopes is not null && scopes.StartsWith("nosub ", StringComparison.Ordinal);
                if (noSubject) scopes = scopes!.Substring("nosub ".Length);
                if (scopes is not null) context.User = new ClaimsPrincipal(new ClaimsIdentity(noSubject ? new[] { new Claim("scope", scopes) } : new[] { new Claim("scope", scopes), new Claim("sub", "user-1") }, "test"));
                if (body is not null)
                {
                    byte[] bytes = Encoding.UTF8.GetBytes(body);
                    context.Request.ContentType = contentType;
                    context.Request.ContentLength = bytes.Length;
                    context.Request.Body = new MemoryStream(bytes);
                }

                var response = new MemoryStream();
                context.Response.Body = response;
                // No rate limits here: the rate-limit gate has tests of its own.
                var runtime = new RampartRuntime(new RampartOptions { MaxRequestBodyBytes = 1000, DefaultRateLimit = null });
                var (invoke, metadata) = endpoint switch
                {
                    "PlaceOrder" => ((Func<HttpContext, EndpointRuntime, Task>)PlaceOrder.RampartEndpoint.InvokeAsync, PlaceOrder.RampartEndpoint.Metadata),
                    "UpdateItem" => (UpdateItem.RampartEndpoint.InvokeAsync, UpdateItem.RampartEndpoint.Metadata),
                    "GetReport" => (GetReport.RampartEndpoint.InvokeAsync, GetReport.RampartEndpoint.Metadata),
                    "FindThing" => (FindThing.RampartEndpoint.InvokeAsync, FindThing.RampartEndpoint.Metadata),
                    "SaveNote" => (SaveNote.RampartEndpoint.InvokeAsync, SaveNote.RampartEndpoint.Metadata),
                    "ListNotes" => (ListNotes.RampartEndpoint.InvokeAsync, ListNotes.RampartEndpoint.Metadata),
                    _ => throw new ArgumentException(endpoint),
                };
                await invoke(context, runtime.CreateEndpoint(metadata, endpoint));
                await context.Response.BodyWriter.FlushAsync();
                string headers = string.Join(";", context.Response.Headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => h.Key + "=" + h.Value));
                return context.Response.StatusCode + "\n" + headers + "\n" + Encoding.UTF8.GetString(response.ToArray());
            }
        }
        """;

    public ExecutionFixture()
    {
        Output = TestCompiler.Run(new SourceFile("Exec.cs", Source)).AssertNoGeneratorDiagnostics().AssertCompiles();
        Assembly = CompiledAssembly.Load(Output);
    }

    public GeneratorOutput Output { get; }

    public CompiledAssembly Assembly { get; }

    public T Call<T>(string method, params object?[] args) => Assembly.Call<T>("Exec.Harness", method, args);

    public void Dispose() => Assembly.Dispose();
}
