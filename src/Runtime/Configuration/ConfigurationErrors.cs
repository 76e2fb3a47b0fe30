using System;

namespace Rampart.Configuration;

/// <summary>
/// The configuration-binding source generator's conversion errors name the key, the value and the .NET type
/// (<c>Failed to convert configuration value 'thirty' at 'Rampart:Authentication:ClockSkewSeconds' to type
/// 'System.Int32'</c>); this adds what such a value looks like, in the words of Rampart's settings.
/// </summary>
internal static class ConfigurationErrors
{
    /// <summary>Runs <paramref name="bind"/> (one call of the binder, so the generator intercepts it) with explained conversion errors.</summary>
    public static void Explained(Action bind)
    {
        try
        {
            bind();
        }
        catch (InvalidOperationException conversion)
        {
            throw new InvalidOperationException(
                conversion.Message + " Counts, lengths and settings ending in Seconds are whole numbers; switches are true or false.", conversion);
        }
    }
}
