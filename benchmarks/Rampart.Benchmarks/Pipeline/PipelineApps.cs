using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using FastEndpoints;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rampart;
using Rampart.Benchmarks.Peers;

namespace Rampart.Benchmarks.Pipeline;

/// <summary>The FastEndpoints benchmark response.</summary>
public sealed record PipelineResponse(int Id, string Name, int Age, string? PhoneNumber);

/// <summary>The FastEndpoints benchmark scenario as a Rampart contract: POST /benchmark/ok/{id}.</summary>
[SecureEndpoint("POST", "/benchmark/ok/{id}", AllowAnonymous = true, UseDefaultRateLimit = false)]
public sealed partial record RampartPipelineRequest
{
    public required int Id { get; init; }

    [Required, MinLength(1), MaxLength(64)] public required string FirstName { get; init; }

    [Required, MinLength(1), MaxLength(64)] public required string LastName { get; init; }

    [Range(11, int.MaxValue)] public required int Age { get; init; }

    [Required, MinLength(1), MaxLength(16)] public required IEnumerable<string> PhoneNumbers { get; init; }

    static PipelineResponse Handle(RampartPipelineRequest r) => new(r.Id, r.FirstName + " " + r.LastName, r.Age, r.PhoneNumbers.FirstOrDefault());
}

/// <summary>The same request for the minimal API (validated by .NET 10's AddValidation) and FastEndpoints.</summary>
public sealed class PeerRequest
{
    public int Id { get; set; }

    [Required, MinLength(1), MaxLength(64)] public string FirstName { get; set; } = string.Empty;

    [Required, MinLength(1), MaxLength(64)] public string LastName { get; set; } = string.Empty;

    [Range(11, int.MaxValue)] public int Age { get; set; }

    [Required, MinLength(1), MaxLength(16)] public IEnumerable<string> PhoneNumbers { get; set; } = Array.Empty<string>();
}

/// <summary>FastEndpoints' own validator for the scenario (as in its benchmark).</summary>
public sealed class PeerRequestValidator : Validator<PeerRequest>
{
    public PeerRequestValidator()
    {
        RuleFor(x => x.FirstName).NotEmpty().MaximumLength(64);
        RuleFor(x => x.LastName).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Age).GreaterThan(10);
        RuleFor(x => x.PhoneNumbers).NotEmpty();
    }
}

/// <summary>The FastEndpoints endpoint of the scenario.</summary>
public sealed class FastEndpointsOk : Endpoint<PeerRequest, PipelineResponse>
{
    public override void Configure()
    {
        Post("/benchmark/ok/{id}");
        AllowAnonymous();
    }

    public override Task HandleAsync(PeerRequest req, CancellationToken ct) =>
        Send.OkAsync(new PipelineResponse(req.Id, req.FirstName + " " + req.LastName, req.Age, req.PhoneNumbers.FirstOrDefault()), ct);
}

/// <summary>System.Text.Json source generation for the minimal API's request and response (web defaults).</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[System.Text.Json.Serialization.JsonSerializable(typeof(PeerRequest))]
[System.Text.Json.Serialization.JsonSerializable(typeof(PipelineResponse))]
internal sealed partial class PipelineJsonContext : System.Text.Json.Serialization.JsonSerializerContext
{
}

/// <summary>Builds the three in-process apps (TestServer, no logging providers).</summary>
public static class PipelineApps
{
    public static async Task<(WebApplication App, HttpClient Client)> RampartAsync() => await RampartAsync(securityHeaders: true);

    /// <summary>
    /// Rampart's app for the allocation breakdown. <paramref name="securityHeaders"/> false removes every
    /// header policy; <paramref name="precomputedHeaders"/> then writes the same default header values,
    /// computed once, from a plain middleware — what a start-up-computed header set would cost.
    /// </summary>
    public static async Task<(WebApplication App, HttpClient Client)> RampartAsync(bool securityHeaders, bool precomputedHeaders = false)
    {
        var builder = Create();
        builder.AddRampart(o =>
        {
            o.DefaultRateLimit = null;
            o.RequireHttps = false;
            if (!securityHeaders)
            {
                o.SecurityHeaders = headers => headers.Clear();
            }
        });
        var app = builder.Build();
        if (precomputedHeaders)
        {
            app.Use(static (context, next) =>
            {
                var headers = context.Response.Headers;
                foreach (var (name, value) in PrecomputedHeaders)
                {
                    headers[name] = value;
                }

                return next(context);
            });
        }

        app.UseRampart();
        // Mapped by hand: this project also sees the Orders sample's internal MapRampartEndpoints
        // (InternalsVisibleTo), which makes the extension call ambiguous here.
        var runtime = Rampart.Hosting.RampartRuntime.From(app.Services);
        var endpoint = runtime.CreateEndpoint(RampartPipelineRequest.RampartEndpoint.Metadata, nameof(RampartPipelineRequest));
        app.MapMethods(RampartPipelineRequest.RampartEndpoint.Route, new[] { RampartPipelineRequest.RampartEndpoint.Method }, context => RampartPipelineRequest.RampartEndpoint.InvokeAsync(context, endpoint))
            .WithMetadata(RampartPipelineRequest.RampartEndpoint.Metadata);
        return await StartAsync(app);
    }

    // Rampart's default headers on plain HTTP (no HSTS), as StringValues built once.
    private static readonly (string Name, Microsoft.Extensions.Primitives.StringValues Value)[] PrecomputedHeaders =
    {
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
        ("Referrer-Policy", "no-referrer"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Permissions-Policy", "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"),
        ("Cache-Control", "no-store"),
        ("X-XSS-Protection", "0"),
    };

    public static async Task<(WebApplication App, HttpClient Client)> MinimalApiAsync()
    {
        var builder = Create();
        // Its fastest form: source-generated JSON (and, from the project, compile-time request delegates).
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, PipelineJsonContext.Default));
        builder.Services.AddBuiltInValidation();
        var app = builder.Build();
        app.MapPost("/benchmark/ok/{id}", (int id, PeerRequest request) =>
            TypedResults.Ok(new PipelineResponse(id, request.FirstName + " " + request.LastName, request.Age, request.PhoneNumbers.FirstOrDefault())));
        return await StartAsync(app);
    }

    /// <summary>
    /// Not a peer: the same route answering a constant 200 JSON body without reading the request, so the
    /// TestServer, HttpClient and routing costs every peer shares can be told apart from each one's own.
    /// </summary>
    public static async Task<(WebApplication App, HttpClient Client)> FloorAsync()
    {
        var builder = Create();
        var app = builder.Build();
        byte[] body = System.Text.Encoding.UTF8.GetBytes("""{"id":123,"name":"xxc yyy","age":23,"phoneNumber":"1111111111"}""");
        app.MapPost("/benchmark/ok/{id}", (HttpContext context) =>
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = body.Length;
            return context.Response.Body.WriteAsync(body).AsTask();
        });
        return await StartAsync(app);
    }

    public static async Task<(WebApplication App, HttpClient Client)> FastEndpointsAsync()
    {
        var builder = Create();
        builder.Services.AddFastEndpoints(o => o.Assemblies = new[] { typeof(FastEndpointsOk).Assembly });
        var app = builder.Build();
        app.UseFastEndpoints();
        return await StartAsync(app);
    }

    private static WebApplicationBuilder Create()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        return builder;
    }

    private static async Task<(WebApplication, HttpClient)> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        return (app, app.GetTestClient());
    }
}
