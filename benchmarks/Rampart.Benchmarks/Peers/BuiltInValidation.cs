using System;
using System.ComponentModel.DataAnnotations;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

namespace Rampart.Benchmarks.Peers;

/// <summary>
/// .NET 10's built-in validation (Microsoft.Extensions.Validation), driven the way the minimal-API
/// validation filter drives it: the source-generated <see cref="IValidatableInfo"/> of the type,
/// found through <see cref="ValidationOptions"/> after <c>AddValidation()</c> (which the
/// validation generator intercepts to register its resolver), and a fresh
/// <see cref="ValidateContext"/> with a <see cref="ValidationContext"/> per request.
/// </summary>
public sealed class BuiltInValidator
{
    private readonly IServiceProvider _services;
    private readonly ValidationOptions _options;
    private readonly IValidatableInfo _info;

    public BuiltInValidator(Type type)
    {
        var services = new ServiceCollection();
        services.AddBuiltInValidation();
        _services = services.BuildServiceProvider();
        _options = _services.GetRequiredService<IOptions<ValidationOptions>>().Value;
        if (!_options.TryGetValidatableTypeInfo(type, out var info) || info is null)
        {
            throw new InvalidOperationException($"The .NET 10 validation generator produced no IValidatableInfo for {type}.");
        }

        _info = info;
    }

    /// <summary>Validates <paramref name="value"/>; the errors, if any, are in the returned context.</summary>
    public ValidateContext Validate(object value)
    {
        var context = new ValidateContext
        {
            ValidationOptions = _options,
            ValidationContext = new ValidationContext(value, _services, items: null),
        };
        Task task = _info.ValidateAsync(value, context, default);
        if (!task.IsCompletedSuccessfully)
        {
            task.GetAwaiter().GetResult();
        }

        return context;
    }
}

/// <summary>
/// <c>[ValidatableType]</c> cannot be put on a type of another assembly (the Orders sample's
/// <c>CreateOrder</c>); the validation generator also discovers the parameter types of minimal-API
/// endpoints, so this never-called mapping is what makes it emit the type info for CreateOrder.
/// </summary>
internal static class BuiltInValidationDiscovery
{
    internal static void Map(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder app) =>
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapPost(app, "/orders", (Orders.Contracts.CreateOrder order) => order.Quantity);
}

/// <summary>
/// The one call site of <c>AddValidation()</c> in this project: the .NET 10 validation generator
/// intercepts every call site and emits a resolver per site under one hint name, so two call sites
/// break its output.
/// </summary>
public static class BuiltInValidationRegistration
{
    public static IServiceCollection AddBuiltInValidation(this IServiceCollection services) => services.AddValidation();
}
