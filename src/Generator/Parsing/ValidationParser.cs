using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Rampart.Generator.Diagnostics;
using Rampart.Generator.Model;

namespace Rampart.Generator.Parsing;

/// <summary>
/// Compiles standard DataAnnotations attributes into <see cref="RuleModel"/>s. An attribute derived
/// from <c>ValidationAttribute</c> that is not understood here is an error (RAMP0012): validation is
/// never evaluated by reflection.
/// </summary>
internal static class ValidationParser
{
    private const string Ns = "System.ComponentModel.DataAnnotations.";
    private const int DefaultRegexTimeoutMilliseconds = 2000; // RegularExpressionAttribute's own default

    public static EquatableArray<RuleModel> Parse(ParseContext context, IPropertySymbol property, TypeRef type, string name, ImmutableArray<AttributeData> attributes, out int? maxLength, out bool requiredAttribute)
    {
        maxLength = null;
        requiredAttribute = false;
        var rules = new List<RuleModel>();
        bool isString = type.Kind == ValueKind.String;
        bool isCollection = type.Kind == ValueKind.Collection;
        bool isNumber = type.Kind is ValueKind.Int32 or ValueKind.Int64 or ValueKind.Decimal or ValueKind.Double;

        foreach (var attribute in attributes)
        {
            var attributeClass = attribute.AttributeClass;
            if (attributeClass is null || !DerivesFrom(attributeClass, Ns + "ValidationAttribute"))
            {
                continue;
            }

            string attributeName = attributeClass.Name.EndsWith("Attribute", StringComparison.Ordinal) ? attributeClass.Name.Substring(0, attributeClass.Name.Length - 9) : attributeClass.Name;
            string? customMessage = AttributeArguments.Named(attribute, "ErrorMessage") as string;
            // A custom ErrorMessage is formatted as DataAnnotations does: {0} is the member name, then
            // the attribute's own arguments ({1}, {2} …), at compile time.
            string Message(string fallback, params object[] arguments)
            {
                if (customMessage is null)
                {
                    return fallback;
                }

                try
                {
                    var all = new object[arguments.Length + 1];
                    all[0] = name;
                    Array.Copy(arguments, 0, all, 1, arguments.Length);
                    return string.Format(CultureInfo.InvariantCulture, customMessage, all);
                }
                catch (FormatException)
                {
                    return customMessage.Replace("{0}", name);
                }
            }
            void Fail(string why) => context.Report(DiagnosticCatalogue.UncompilableValidation, property, attributeName, property.Name, why);
            var args = attribute.ConstructorArguments;

            switch (attributeClass.ToDisplayString())
            {
                case Ns + "RequiredAttribute":
                {
                    requiredAttribute = true;
                    bool allowEmpty = AttributeArguments.Named(attribute, "AllowEmptyStrings") is true;
                    rules.Insert(0, new RuleModel(RuleKind.Required, Message($"The {name} field is required."), null, null, false, allowEmpty, -1, EquatableArray<string>.Empty));
                    break;
                }

                case Ns + "RangeAttribute":
                {
                    if (!isNumber)
                    {
                        Fail(" on a member of type " + type.FullName + " (Range applies to int, long, decimal and double)");
                        break;
                    }

                    if (!TryRangeBounds(args, out double min, out double max, out string? minText, out string? maxText))
                    {
                        Fail(" (use Range(int, int), Range(double, double) or Range(typeof(int|long|decimal|double), \"min\", \"max\"))");
                        break;
                    }

                    if (IsGreater(minText!, maxText!, min, max))
                    {
                        context.Report(DiagnosticCatalogue.MinimumGreaterThanMaximum, property, attributeName, property.Name, minText!, maxText!);
                        break;
                    }

                    bool minExclusive = AttributeArguments.Named(attribute, "MinimumIsExclusive") is true;
                    bool maxExclusive = AttributeArguments.Named(attribute, "MaximumIsExclusive") is true;
                    string between = $"{minText}{(minExclusive ? " exclusive" : string.Empty)} and {maxText}{(maxExclusive ? " exclusive" : string.Empty)}";
                    rules.Add(new RuleModel(RuleKind.Range, Message($"The field {name} must be between {between}.", minText!, maxText!),
                        NumberLiteral(type.Kind, min, minText!), NumberLiteral(type.Kind, max, maxText!),
                        minExclusive, maxExclusive, -1, EquatableArray<string>.Empty));
                    break;
                }

                case Ns + "StringLengthAttribute":
                {
                    if (!isString)
                    {
                        Fail(" on a non-string member");
                        break;
                    }

                    int max = (int)args[0].Value!;
                    int min = AttributeArguments.Named(attribute, "MinimumLength") as int? ?? 0;
                    if (!AddLength(context, property, rules, attributeName, min, max, Message(min > 0
                        ? $"The field {name} must be a string with a minimum length of {min} and a maximum length of {max}."
                        : $"The field {name} must be a string with a maximum length of {max}.", max, min)))
                    {
                        break;
                    }

                    maxLength = Min(maxLength, max);
                    break;
                }

                case Ns + "MinLengthAttribute":
                case Ns + "MaxLengthAttribute":
                case Ns + "LengthAttribute":
                {
                    if (!isString && !isCollection)
                    {
                        Fail(" on a member that is neither a string nor a collection");
                        break;
                    }

                    int min = 0, max = -1;
                    string message;
                    object[] messageArguments;
                    if (attributeName == "MinLength")
                    {
                        min = (int)args[0].Value!;
                        message = $"The field {name} must be a string or array type with a minimum length of '{min}'.";
                        messageArguments = new object[] { min };
                    }
                    else if (attributeName == "MaxLength")
                    {
                        max = args.Length == 0 ? -1 : (int)args[0].Value!;
                        if (max <= 0)
                        {
                            Fail(" without a positive maximum (MaxLength() means 'unbounded', which Rampart does not allow)");
                            break;
                        }

                        message = $"The field {name} must be a string or array type with a maximum length of '{max}'.";
                        messageArguments = new object[] { max };
                    }
                    else
                    {
                        min = (int)args[0].Value!;
                        max = (int)args[1].Value!;
                        message = $"The field {name} must be a string or collection type with a minimum length of '{min}' and maximum length of '{max}'.";
                        messageArguments = new object[] { min, max };
                    }

                    if (!AddLength(context, property, rules, attributeName, min, max, Message(message, messageArguments)))
                    {
                        break;
                    }

                    if (max >= 0)
                    {
                        maxLength = Min(maxLength, max);
                    }

                    break;
                }

                case Ns + "RegularExpressionAttribute":
                {
                    if (!isString)
                    {
                        Fail(" on a non-string member");
                        break;
                    }

                    string pattern = args[0].Value as string ?? string.Empty;
                    string? problem = PatternParser.Validate(pattern);
                    if (problem is not null)
                    {
                        context.Report(DiagnosticCatalogue.InvalidPattern, property, property.Name, problem);
                        break;
                    }

                    int timeout = AttributeArguments.Named(attribute, "MatchTimeoutInMilliseconds") as int? ?? DefaultRegexTimeoutMilliseconds;
                    if (timeout <= 0)
                    {
                        timeout = DefaultRegexTimeoutMilliseconds;
                    }

                    int index = context.AddPattern(PatternParser.Parse(pattern, timeout));
                    rules.Add(new RuleModel(RuleKind.Pattern, Message($"The field {name} must match the regular expression '{pattern}'.", pattern), null, null, false, false, index, EquatableArray<string>.Empty));
                    break;
                }

                case Ns + "EmailAddressAttribute":
                case Ns + "UrlAttribute":
                {
                    if (!isString)
                    {
                        Fail(" on a non-string member");
                        break;
                    }

                    bool email = attributeName == "EmailAddress";
                    rules.Add(new RuleModel(email ? RuleKind.Email : RuleKind.Url,
                        Message(email ? $"The {name} field is not a valid e-mail address." : $"The {name} field is not a valid fully-qualified http, https, or ftp URL."),
                        null, null, false, false, -1, EquatableArray<string>.Empty));
                    break;
                }

                case Ns + "AllowedValuesAttribute":
                case Ns + "DeniedValuesAttribute":
                {
                    if (type.Kind is ValueKind.Object or ValueKind.Collection)
                    {
                        Fail(" on an object or collection member");
                        break;
                    }

                    var values = new List<string>();
                    var memberType = property.Type;
                    bool ok = args.Length == 1 && args[0].Kind == TypedConstantKind.Array;
                    if (ok)
                    {
                        foreach (var item in args[0].Values)
                        {
                            string? literal = item.IsNull ? "null" : Literals.Format(item.Value, memberType);
                            if (literal is null || (!item.IsNull && !CompatibleConstant(item, memberType)))
                            {
                                ok = false;
                                break;
                            }

                            values.Add(literal);
                        }
                    }

                    if (!ok)
                    {
                        Fail(" (its values must be constants of the member's type)");
                        break;
                    }

                    bool allowed = attributeName == "AllowedValues";
                    rules.Add(new RuleModel(allowed ? RuleKind.AllowedValues : RuleKind.DeniedValues,
                        Message(allowed ? $"The {name} field does not equal any of the values specified in AllowedValuesAttribute." : $"The {name} field equals one of the values specified in DeniedValuesAttribute."),
                        null, null, false, false, -1, values.ToEquatableArray()));
                    break;
                }

                default:
                    Fail(string.Empty);
                    break;
            }
        }

        return rules.ToEquatableArray();
    }

    private static bool AddLength(ParseContext context, IPropertySymbol property, List<RuleModel> rules, string attributeName, int min, int max, string message)
    {
        if (max >= 0 && min > max)
        {
            context.Report(DiagnosticCatalogue.MinimumGreaterThanMaximum, property, attributeName, property.Name, min.ToString(CultureInfo.InvariantCulture), max.ToString(CultureInfo.InvariantCulture));
            return false;
        }

        rules.Add(new RuleModel(RuleKind.Length, message, min > 0 ? min.ToString(CultureInfo.InvariantCulture) : null, max >= 0 ? max.ToString(CultureInfo.InvariantCulture) : null, false, false, -1, EquatableArray<string>.Empty));
        return true;
    }

    private static int? Min(int? a, int b) => a is null ? b : Math.Min(a.Value, b);

    private static bool CompatibleConstant(TypedConstant constant, ITypeSymbol memberType)
    {
        ITypeSymbol target = memberType is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n ? n.TypeArguments[0] : memberType;
        return constant.Type is not null && SymbolEqualityComparer.Default.Equals(constant.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), target.WithNullableAnnotation(NullableAnnotation.NotAnnotated));
    }

    private static bool TryRangeBounds(ImmutableArray<TypedConstant> args, out double min, out double max, out string? minText, out string? maxText)
    {
        min = max = 0;
        minText = maxText = null;
        if (args.Length == 2 && args[0].Value is int i0 && args[1].Value is int i1)
        {
            min = i0;
            max = i1;
        }
        else if (args.Length == 2 && args[0].Value is double d0 && args[1].Value is double d1)
        {
            min = d0;
            max = d1;
        }
        else if (args.Length == 3 && args[0].Value is ITypeSymbol t && args[1].Value is string s0 && args[2].Value is string s1
            && t.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Decimal or SpecialType.System_Double
            && double.TryParse(s0, NumberStyles.Float, CultureInfo.InvariantCulture, out min)
            && double.TryParse(s1, NumberStyles.Float, CultureInfo.InvariantCulture, out max))
        {
            minText = s0.Trim();
            maxText = s1.Trim();
            return true;
        }
        else
        {
            return false;
        }

        minText = min.ToString(CultureInfo.InvariantCulture);
        maxText = max.ToString(CultureInfo.InvariantCulture);
        return true;
    }

    // Compares bounds exactly where both parse as decimal (long bounds beyond 2^53 included).
    private static bool IsGreater(string minText, string maxText, double min, double max) =>
        decimal.TryParse(minText, NumberStyles.Float, CultureInfo.InvariantCulture, out var dMin)
        && decimal.TryParse(maxText, NumberStyles.Float, CultureInfo.InvariantCulture, out var dMax)
            ? dMin > dMax
            : min > max;

    private static string NumberLiteral(ValueKind kind, double value, string text)
    {
        // Integral bounds are emitted from their text, so long bounds beyond 2^53 stay exact.
        if (kind is ValueKind.Int32 or ValueKind.Int64 && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long exact))
        {
            return exact.ToString(CultureInfo.InvariantCulture) + "L";
        }

        bool integral = Math.Floor(value) == value && Math.Abs(value) < 9.2e18;
        switch (kind)
        {
            case ValueKind.Decimal:
                if (value >= (double)decimal.MaxValue) return "decimal.MaxValue";
                if (value <= (double)decimal.MinValue) return "decimal.MinValue";
                return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                    ? d.ToString(CultureInfo.InvariantCulture) + "m"
                    : ((decimal)value).ToString(CultureInfo.InvariantCulture) + "m";
            case ValueKind.Int32:
            case ValueKind.Int64:
                return integral ? ((long)value).ToString(CultureInfo.InvariantCulture) + "L" : Literals.Double(value);
            default:
                return Literals.Double(value);
        }
    }

    private static bool DerivesFrom(INamedTypeSymbol type, string baseName)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.ToDisplayString() == baseName)
            {
                return true;
            }
        }

        return false;
    }
}
