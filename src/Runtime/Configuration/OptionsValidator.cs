using System;
using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace Rampart.Configuration;

/// <summary>
/// An options check that reports every failure at once, each message naming its setting: at start-up through
/// <see cref="IValidateOptions{TOptions}"/> (an <see cref="OptionsValidationException"/>), and for options built in
/// code through <see cref="ThrowIfInvalid"/> (an <see cref="InvalidOperationException"/>).
/// </summary>
internal abstract class OptionsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        AddFailures(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Throws <see cref="InvalidOperationException"/> with every failure of <paramref name="options"/>.</summary>
    public void ThrowIfInvalid(TOptions options)
    {
        if (Validate(Options.DefaultName, options) is { Failed: true } result)
        {
            throw new InvalidOperationException(string.Join(" ", result.Failures!));
        }
    }

    /// <summary>Adds a message per unusable value of <paramref name="options"/> to <paramref name="failures"/>.</summary>
    protected abstract void AddFailures(TOptions options, List<string> failures);
}
