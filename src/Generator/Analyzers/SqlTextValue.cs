using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Rampart.Generator.Analyzers;

/// <summary>How much is known about a piece of SQL text, worst first when combined.</summary>
internal enum SqlTextKind
{
    /// <summary>Every value the text can take is a compile-time constant (or built only from constants).</summary>
    Constant,

    /// <summary>The text is, as a whole, a value the analysis cannot prove constant.</summary>
    Unknown,

    /// <summary>The text is assembled at run time with at least one piece that is not provably constant.</summary>
    Built,
}

/// <summary>
/// What the analysis knows about the value of an expression used as SQL text: its kind, why it is not
/// constant (the first offending piece), and the parameters of the enclosing methods it still depends on.
/// A parameter is left open so that the callers can be checked instead (see <see cref="SqlTextFlow"/>);
/// its flag says whether the parameter is only a piece of the text (<c>"… " + p</c>) or the whole of it.
/// </summary>
internal sealed class SqlTextValue
{
    private static readonly ImmutableDictionary<IParameterSymbol, bool> NoParameters =
        ImmutableDictionary.Create<IParameterSymbol, bool>(SymbolEqualityComparer.Default);

    public static readonly SqlTextValue Constant = new(SqlTextKind.Constant, null, NoParameters);

    private SqlTextValue(SqlTextKind kind, string? reason, ImmutableDictionary<IParameterSymbol, bool> parameters)
    {
        Kind = kind;
        Reason = reason;
        Parameters = parameters;
    }

    public SqlTextKind Kind { get; }

    /// <summary>For Unknown and Built: the offending piece and why it is not constant.</summary>
    public string? Reason { get; }

    /// <summary>Open parameters, each with true when it is composed into the text rather than the whole text.</summary>
    public ImmutableDictionary<IParameterSymbol, bool> Parameters { get; }

    public static SqlTextValue Unknown(string reason) => new(SqlTextKind.Unknown, reason, NoParameters);

    public static SqlTextValue Built(string reason) => new(SqlTextKind.Built, reason, NoParameters);

    public static SqlTextValue Parameter(IParameterSymbol parameter) => new(SqlTextKind.Constant, null, NoParameters.Add(parameter, false));

    /// <summary>Either of two values (branches, assignments): the worse kind, every open parameter.</summary>
    public SqlTextValue Or(SqlTextValue other)
    {
        if (ReferenceEquals(this, other) || other.IsNeutral)
        {
            return this;
        }

        if (IsNeutral)
        {
            return other;
        }

        var kind = Kind >= other.Kind ? Kind : other.Kind;
        string? reason = Kind >= other.Kind ? Reason : other.Reason;
        return new SqlTextValue(kind, reason, Merge(Parameters, other.Parameters));
    }

    /// <summary>This value as one piece of a larger text: anything not constant makes the whole text built.</summary>
    public SqlTextValue AsPiece()
    {
        if (IsNeutral)
        {
            return this;
        }

        var parameters = Parameters.Values.All(c => c) ? Parameters : Parameters.SetItems(Parameters.Keys.Select(p => new KeyValuePair<IParameterSymbol, bool>(p, true)));
        return new SqlTextValue(Kind == SqlTextKind.Constant ? SqlTextKind.Constant : SqlTextKind.Built, Reason, parameters);
    }

    /// <summary>
    /// A value computed from this one that is not itself text (a length, a number): not constant when
    /// this is not, but only a piece of text when used as one.
    /// </summary>
    public SqlTextValue Derived()
    {
        var piece = AsPiece();
        return piece.Kind == SqlTextKind.Built ? new SqlTextValue(SqlTextKind.Unknown, piece.Reason, piece.Parameters) : piece;
    }

    public SqlTextValue Without(IParameterSymbol parameter) => new(Kind, Reason, Parameters.Remove(parameter));

    public bool SameAs(SqlTextValue other)
    {
        if (Kind != other.Kind || Parameters.Count != other.Parameters.Count)
        {
            return false;
        }

        foreach (var pair in Parameters)
        {
            if (!other.Parameters.TryGetValue(pair.Key, out bool composed) || composed != pair.Value)
            {
                return false;
            }
        }

        return true;
    }

    private bool IsNeutral => Kind == SqlTextKind.Constant && Parameters.Count == 0;

    private static ImmutableDictionary<IParameterSymbol, bool> Merge(ImmutableDictionary<IParameterSymbol, bool> a, ImmutableDictionary<IParameterSymbol, bool> b)
    {
        if (b.Count == 0)
        {
            return a;
        }

        var builder = a.ToBuilder();
        foreach (var pair in b)
        {
            builder[pair.Key] = pair.Value || (builder.TryGetValue(pair.Key, out bool existing) && existing);
        }

        return builder.ToImmutable();
    }
}
