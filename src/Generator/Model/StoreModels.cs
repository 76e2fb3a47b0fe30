namespace Rampart.Generator.Model;

// The data-access model: like the contract model, only strings, numbers, enums and EquatableArray.

/// <summary>A value type the generated ADO.NET code binds or reads, with its explicit DbType.</summary>
internal enum SqlValueKind
{
    String,
    Boolean,
    Int16,
    Int32,
    Int64,
    Double,
    Decimal,
    Guid,
    DateTime,
    DateTimeOffset,
    Bytes,
    OwnerId,
}

/// <summary>What a store method returns.</summary>
internal enum StoreReturnShape
{
    /// <summary><c>Task&lt;int&gt;</c> of a statement without a result set: rows affected.</summary>
    RowsAffected,

    /// <summary><c>Task&lt;T?&gt;</c>: the first row, or null.</summary>
    SingleRow,

    /// <summary><c>Task&lt;IReadOnlyList&lt;T&gt;&gt;</c>.</summary>
    List,

    /// <summary><c>IAsyncEnumerable&lt;T&gt;</c>, streamed while the reader is open.</summary>
    Stream,

    /// <summary><c>Task&lt;S&gt;</c> of a scalar type: the first column of the first row.</summary>
    Scalar,
}

/// <summary>Everything needed to emit one store class.</summary>
internal sealed record StoreModel(
    string Namespace,
    EquatableArray<ContainingType> Containers,
    string Keyword,
    string TypeName,
    string HintName,
    EquatableArray<StoreMethodModel> Methods);

/// <summary>One <c>[Sql]</c> method.</summary>
internal sealed record StoreMethodModel(
    string Name,
    string Modifiers,
    string ReturnType,
    StoreReturnShape Shape,
    string Sql,
    EquatableArray<StoreParameter> Parameters,
    EquatableArray<SqlBinding> Bindings,
    string? CancellationToken,
    RowModel? Row,
    SqlColumn? Scalar,
    bool ScalarIsNullable,
    bool OwnerScoped);

/// <summary>A method parameter as declared (emitted in the implementing signature).</summary>
internal sealed record StoreParameter(string Name, string TypeName);

/// <summary>A placeholder bound to a parameter, in the order the command's parameters are created.</summary>
internal sealed record SqlBinding(string Placeholder, string ParameterName, SqlValueKind Kind, bool IsNullable);

/// <summary>The row type of a query and how each column reaches it.</summary>
internal sealed record RowModel(string TypeName, EquatableArray<SqlColumn> Columns, bool ByName);

/// <summary>
/// A result column: read at <see cref="Ordinal"/> (or, when the row is read by name, at the ordinal of
/// <see cref="ColumnName"/>) into a constructor argument (<see cref="ConstructorIndex"/> ≥ 0) or a property.
/// </summary>
internal sealed record SqlColumn(string ColumnName, string MemberName, int Ordinal, SqlValueKind Kind, bool IsNullable, string TypeName, int ConstructorIndex);

/// <summary>The result of parsing one <c>[Sql]</c> method.</summary>
internal sealed record StoreMethodResult(string? StoreKey, StoreModel? Store, StoreMethodModel? Method, EquatableArray<DiagnosticInfo> Diagnostics);
