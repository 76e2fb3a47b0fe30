using System;

namespace Rampart;

/// <summary>
/// The SQL of a store method: a <c>partial</c> method of a <c>partial</c> class whose body Rampart
/// generates. The text is an attribute argument, so it is a compile-time constant; values reach the
/// database only as parameters, bound from the method's parameters by their <c>@name</c> placeholders.
/// </summary>
/// <remarks>
/// Supported return types: <c>Task&lt;int&gt;</c> (rows affected), <c>Task&lt;T?&gt;</c> (first row or null),
/// <c>Task&lt;IReadOnlyList&lt;T&gt;&gt;</c>, <c>IAsyncEnumerable&lt;T&gt;</c> and <c>Task&lt;S&gt;</c> for a scalar <c>S</c>;
/// see docs/data-access.md.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class SqlAttribute : Attribute
{
    /// <summary>Declares the SQL of a generated store method.</summary>
    /// <param name="sql">The statement, with <c>@name</c> placeholders for the method's parameters.</param>
    public SqlAttribute(string sql) => Sql = sql;

    /// <summary>The statement.</summary>
    public string Sql { get; }
}
