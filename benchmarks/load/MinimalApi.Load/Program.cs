using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Load;

// dotnet MinimalApi.Load.dll --urls http://127.0.0.1:PORT --scenario fe|orders|bare
string scenario = LoadSettings.Scenario(args);
var builder = WebApplication.CreateSlimBuilder(args);
LoadSettings.ConfigureLogging(builder.Logging, requestLog: scenario == "orders");
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, LoadJsonContext.Default));
if (scenario != "bare")
{
    // .NET 10's source-generated DataAnnotations validation for minimal APIs: invalid bodies get a 400 problem.
    builder.Services.AddValidation();
}

if (scenario == "orders")
{
    PeerSecurity.AddServices(builder.Services);
    builder.Services.AddAuthorizationBuilder()
        .AddPolicy(LoadSettings.Permission, p => p.RequireAuthenticatedUser().RequireAssertion(c => PeerSecurity.HasScope(c.User, LoadSettings.Permission)));
}

var app = builder.Build();
switch (scenario)
{
    case "fe":
        app.MapPost("/benchmark/ok/{id}", (int id, BenchmarkBody body) =>
            TypedResults.Ok(new BenchmarkResponse(id, body.FirstName + " " + body.LastName, body.Age, body.PhoneNumbers?.FirstOrDefault())));
        break;
    case "orders":
        PeerSecurity.UseMiddleware(app);
        app.MapPost("/api/v1/orders", (OrderBody body, HttpContext context) =>
        {
            context.Items[PeerSecurity.ParametersKey] = PeerSecurity.LogParameters(body.ProductId!, body.Quantity, body.Note);
            var order = new OrderView(Guid.NewGuid(), context.User.FindFirst("sub")!.Value, body.ProductId!, body.Quantity);
            return TypedResults.Created("/api/v1/orders/" + order.Id.ToString(), order);
        }).RequireAuthorization(LoadSettings.Permission);
        break;
    case "bare":
        // The upper bound: the same body bound and answered, with no security of any kind.
        app.MapPost("/api/v1/orders", (OrderBody body) =>
        {
            var order = new OrderView(Guid.NewGuid(), "anonymous", body.ProductId ?? string.Empty, body.Quantity);
            return TypedResults.Created("/api/v1/orders/" + order.Id.ToString(), order);
        });
        break;
    default:
        throw new ArgumentException($"unknown scenario '{scenario}' (fe, orders, bare)");
}

LoadSettings.ReportOnStop(app.Lifetime);
app.Run();

/// <summary>The FastEndpoints benchmark request with the same rules as the Rampart contract.</summary>
public sealed class BenchmarkBody
{
    [Required, MinLength(1), MaxLength(64)] public string? FirstName { get; set; }

    [Required, MinLength(1), MaxLength(64)] public string? LastName { get; set; }

    [Range(11, int.MaxValue)] public int Age { get; set; }

    [Required, MinLength(1), MaxLength(16)] public IEnumerable<string>? PhoneNumbers { get; set; }
}

/// <summary>The create-order request with the same rules as the Rampart contract.</summary>
public sealed class OrderBody
{
    [Required, RegularExpression("^[A-Z0-9]{8}$"), StringLength(8)] public string? ProductId { get; set; }

    [Range(1, 1000)] public int Quantity { get; set; }

    [MaxLength(500)] public string? Note { get; set; }
}

/// <summary>Source-generated JSON (web defaults); unknown members are refused as Rampart refuses them.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(BenchmarkBody))]
[JsonSerializable(typeof(OrderBody))]
[JsonSerializable(typeof(BenchmarkResponse))]
[JsonSerializable(typeof(OrderView))]
internal sealed partial class LoadJsonContext : JsonSerializerContext
{
}
