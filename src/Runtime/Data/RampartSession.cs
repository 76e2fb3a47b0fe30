using System;
using System.Data;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace Rampart.Data;

/// <summary>
/// An open connection with the prepared commands of the store methods that ran on it. Sessions are
/// pooled by <see cref="RampartDatabase"/> so that a command is prepared once per connection and then
/// only rebound: generated stores rent one per call (or use the current unit of work's).
/// </summary>
/// <remarks>A session is used by one caller at a time; generated code is its only intended user.</remarks>
public sealed class RampartSession : IDisposable, IAsyncDisposable
{
    private static int s_nextSlot;
    private DbCommand?[] _commands = new DbCommand?[16];
    private int _busy;

    // Microsoft.Data.Sqlite runs its async methods synchronously and wraps each result in a new Task (the
    // reader's through an extra async method as well). For it the session calls the synchronous methods and
    // returns completed ValueTasks: the same work without those allocations. Providers with real
    // asynchronous I/O (Npgsql) keep their async methods.
    private readonly bool _synchronousProvider;

    internal RampartSession(DbConnection connection, int commandTimeoutSeconds)
    {
        Connection = connection;
        CommandTimeoutSeconds = commandTimeoutSeconds;
        _synchronousProvider = connection is Microsoft.Data.Sqlite.SqliteConnection;
    }

    /// <summary>Executes <paramref name="command"/> and returns its reader.</summary>
    public ValueTask<DbDataReader> ExecuteReaderAsync(DbCommand command, CommandBehavior behavior, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_synchronousProvider)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<DbDataReader>(command.ExecuteReader(behavior));
        }

        return new ValueTask<DbDataReader>(command.ExecuteReaderAsync(behavior, cancellationToken));
    }

    /// <summary>Advances <paramref name="reader"/> (a reader of this session) to its next row.</summary>
    public ValueTask<bool> ReadAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (_synchronousProvider)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<bool>(reader.Read());
        }

        return new ValueTask<bool>(reader.ReadAsync(cancellationToken));
    }

    /// <summary>Executes <paramref name="command"/> and returns the number of rows affected.</summary>
    public ValueTask<int> ExecuteNonQueryAsync(DbCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (_synchronousProvider)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new ValueTask<int>(command.ExecuteNonQuery());
        }

        return new ValueTask<int>(command.ExecuteNonQueryAsync(cancellationToken));
    }

    /// <summary>The open connection.</summary>
    public DbConnection Connection { get; }

    /// <summary>The transaction of the unit of work this session belongs to, if any.</summary>
    public DbTransaction? Transaction { get; internal set; }

    internal RampartUnitOfWork? UnitOfWork { get; set; }

    internal int CommandTimeoutSeconds { get; }

    /// <summary>
    /// Reserves a command slot for one store method (called once per method, from a static field initializer);
    /// the slot indexes the session's prepared commands.
    /// </summary>
    public static int AllocateSlot() => Interlocked.Increment(ref s_nextSlot) - 1;

    /// <summary>
    /// The prepared command of <paramref name="slot"/> on this connection; created, given its parameters by
    /// <paramref name="addParameters"/> and prepared on first use.
    /// </summary>
    public ValueTask<DbCommand> CommandAsync(int slot, string sql, Action<DbCommand> addParameters, CancellationToken cancellationToken)
    {
        var commands = _commands;
        if ((uint)slot < (uint)commands.Length && commands[slot] is { } command)
        {
            command.Transaction = Transaction;
            return new ValueTask<DbCommand>(command);
        }

        return CreateCommandAsync(slot, sql, addParameters, cancellationToken);
    }

    /// <summary>Adds a parameter with an explicit type (never inferred from the value).</summary>
    public static void AddParameter(DbCommand command, string name, DbType type)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
    }

    private async ValueTask<DbCommand> CreateCommandAsync(int slot, string sql, Action<DbCommand> addParameters, CancellationToken cancellationToken)
    {
        if (slot >= _commands.Length)
        {
            Array.Resize(ref _commands, Math.Max(slot + 1, _commands.Length * 2));
        }

        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = CommandTimeoutSeconds;
        command.Transaction = Transaction;
        addParameters(command);
        // Prepared once per connection; later calls only set parameter values.
        await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
        _commands[slot] = command;
        return command;
    }

    // A unit of work's session is shared by the calls of one logical flow; they must not overlap.
    internal void Enter()
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("Store calls inside one unit of work must not run concurrently: await each call before the next.");
        }
    }

    internal void Exit() => Volatile.Write(ref _busy, 0);

    /// <summary>Closes the connection and its commands.</summary>
    public void Dispose()
    {
        foreach (var command in _commands)
        {
            command?.Dispose();
        }

        Transaction?.Dispose();
        Connection.Dispose();
    }

    /// <summary>Closes the connection and its commands.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands)
        {
            if (command is not null)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (Transaction is not null)
        {
            await Transaction.DisposeAsync().ConfigureAwait(false);
        }

        await Connection.DisposeAsync().ConfigureAwait(false);
    }
}
