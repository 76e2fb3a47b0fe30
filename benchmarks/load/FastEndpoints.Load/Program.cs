using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Rampart.Load;

// dotnet FastEndpoints.Load.dll --urls http://127.0.0.1:PORT --scenario fe|orders
string scenario = LoadSettings.Scenario(args);
if (scenario is not ("fe" or "orders"))
{
    throw new ArgumentException($"unknown scenario '{scenario}' (fe, orders)");
}

bool secured = scenario == "orders";
var builder = WebApplication.CreateSlimBuilder(args);
LoadSettings.ConfigureLogging(builder.Logging, requestLog: secured);
// Only the scenario's endpoint is registered, so the other one adds no routes or validators.
builder.Services.AddFastEndpoints(o =>
{
    o.DisableAutoDiscovery = true;
    o.Assemblies = new[] { typeof(BenchmarkEndpoint).Assembly };
    o.Filter = secured
        ? t => t == typeof(CreateOrderEndpoint) || t == typeof(OrderValidator)
        : t => t == typeof(BenchmarkEndpoint) || t == typeof(BenchmarkValidator);
});
if (secured)
{
    PeerSecurity.AddServices(builder.Services);
    builder.Services.AddAuthorization();
}

var app = builder.Build();
if (secured)
{
    PeerSecurity.UseMiddleware(app);
}

app.UseFastEndpoints();
LoadSettings.ReportOnStop(app.Lifetime);
app.Run();

/// <summary>The FastEndpoints benchmark request.</summary>
public sealed class BenchmarkBody
{
    public int Id { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public int Age { get; set; }

    public IEnumerable<string>? PhoneNumbers { get; set; }
}

/// <summary>The benchmark's validator, with the same length maximums as the Rampart contract.</summary>
public sealed class BenchmarkValidator : Validator<BenchmarkBody>
{
    public BenchmarkValidator()
    {
        RuleFor(x => x.FirstName).NotEmpty().MaximumLength(64);
        RuleFor(x => x.LastName).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Age).GreaterThan(10);
        RuleFor(x => x.PhoneNumbers).NotEmpty().Must(p => p!.Count() <= 16).WithMessage("At most 16 phone numbers.");
    }
}

/// <summary>POST /benchmark/ok/{id}: 200 JSON, or 400 from the validator.</summary>
public sealed class BenchmarkEndpoint : Endpoint<BenchmarkBody, BenchmarkResponse>
{
    public override void Configure()
    {
        Post("/benchmark/ok/{id}");
        AllowAnonymous();
    }

    public override Task HandleAsync(BenchmarkBody req, CancellationToken ct) =>
        Send.OkAsync(new BenchmarkResponse(req.Id, req.FirstName + " " + req.LastName, req.Age, req.PhoneNumbers?.FirstOrDefault()), ct);
}

/// <summary>The create-order request.</summary>
public sealed class OrderBody
{
    public string? ProductId { get; set; }

    public int Quantity { get; set; }

    public string? Note { get; set; }
}

/// <summary>The same rules as the Rampart contract.</summary>
public sealed class OrderValidator : Validator<OrderBody>
{
    public OrderValidator()
    {
        RuleFor(x => x.ProductId).NotEmpty().Length(8).Matches("^[A-Z0-9]{8}$");
        RuleFor(x => x.Quantity).InclusiveBetween(1, 1000);
        RuleFor(x => x.Note).MaximumLength(500);
    }
}

/// <summary>POST /api/v1/orders with the orders:write scope, the per-client limiter and the request log.</summary>
public sealed class CreateOrderEndpoint : Endpoint<OrderBody, OrderView>
{
    public override void Configure()
    {
        Post("/api/v1/orders");
        Scopes(LoadSettings.Permission);
    }

    public override Task HandleAsync(OrderBody req, CancellationToken ct)
    {
        HttpContext.Items[PeerSecurity.ParametersKey] = PeerSecurity.LogParameters(req.ProductId!, req.Quantity, req.Note);
        var order = new OrderView(Guid.NewGuid(), User.FindFirst("sub")!.Value, req.ProductId!, req.Quantity);
        HttpContext.Response.Headers.Location = "/api/v1/orders/" + order.Id.ToString();
        return Send.ResponseAsync(order, StatusCodes.Status201Created, ct);
    }
}
