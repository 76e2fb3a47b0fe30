using Microsoft.CodeAnalysis;

namespace Rampart.Generator.Analyzers;

/// <summary>One use of a value as SQL text: the value, whether it is appended to text set earlier, and what it becomes.</summary>
internal readonly struct SqlSink
{
    public SqlSink(IOperation value, bool composed, string what, string becomes, bool direct)
    {
        Value = value;
        Composed = composed;
        What = what;
        Becomes = becomes;
        Direct = direct;
    }

    public IOperation Value { get; }

    public bool Composed { get; }

    /// <summary>How the message names the value ("The CommandText").</summary>
    public string What { get; }

    /// <summary>What the value ends up as, named for messages at call sites ("the CommandText").</summary>
    public string Becomes { get; }

    /// <summary>True for an ADO.NET or Rampart API; false for a parameter of a method of this compilation.</summary>
    public bool Direct { get; }
}

/// <summary>A parameter of a method in this compilation whose value becomes SQL text (in that method or deeper).</summary>
internal readonly struct SqlParameter
{
    public SqlParameter(bool composed, string becomes)
    {
        Composed = composed;
        Becomes = becomes;
    }

    public bool Composed { get; }

    public string Becomes { get; }
}
