using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Rampart.Generator.Parsing;

/// <summary>Turns compile-time constants into C# literals for emitted code.</summary>
internal static class Literals
{
    public static string? Format(object? value, ITypeSymbol type)
    {
        if (value is null)
        {
            return "null";
        }

        ITypeSymbol target = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } n ? n.TypeArguments[0] : type;
        if (target.TypeKind == TypeKind.Enum)
        {
            return "(" + Names.Qualified(target) + ")(" + Convert.ToString(value, CultureInfo.InvariantCulture) + ")";
        }

        return target.SpecialType switch
        {
            SpecialType.System_Decimal => Convert.ToDecimal(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "m",
            SpecialType.System_Double => Double(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            SpecialType.System_Int64 => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture) + "L",
            SpecialType.System_Int32 => Convert.ToInt32(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            SpecialType.System_Boolean => (bool)value ? "true" : "false",
            SpecialType.System_String => SymbolDisplay.FormatLiteral((string)value, quote: true),
            _ => value is string s ? SymbolDisplay.FormatLiteral(s, quote: true) : null,
        };
    }

    public static string Double(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "double.PositiveInfinity";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "double.NegativeInfinity";
        }

        return value.ToString("R", CultureInfo.InvariantCulture) + "d";
    }

    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
}
