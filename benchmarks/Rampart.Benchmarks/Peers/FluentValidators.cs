using System.Linq;
using FluentValidation;
using Orders.Contracts;
using Rampart.Benchmarks.Models;

namespace Rampart.Benchmarks.Peers;

/// <summary>
/// The FastEndpoints benchmark's validator (NotEmpty names, Age over 10, NotEmpty phone numbers)
/// plus the maximum lengths the contract declares, so that all peers check the same rules.
/// </summary>
public sealed class FastEndpointsRequestValidator : AbstractValidator<FastEndpointsRequest>
{
    public FastEndpointsRequestValidator()
    {
        RuleFor(x => x.FirstName).NotEmpty().MaximumLength(64);
        RuleFor(x => x.LastName).NotEmpty().MaximumLength(64);
        RuleFor(x => x.Age).GreaterThan(10);
        RuleFor(x => x.PhoneNumbers).NotEmpty().Must(p => p is null || p.Count() <= 16).WithMessage("At most 16 phone numbers.");
    }
}

/// <summary>The rules of the Orders sample's <see cref="CreateOrder"/> attributes.</summary>
public sealed class CreateOrderValidator : AbstractValidator<CreateOrder>
{
    public CreateOrderValidator()
    {
        // RegularExpressionAttribute and FluentValidation's Matches both pass null.
        RuleFor(x => x.ProductId).Matches("^[A-Z0-9]{8}$").MaximumLength(8);
        RuleFor(x => x.Quantity).InclusiveBetween(1, 1000);
        RuleFor(x => x.Note).MaximumLength(500);
    }
}
