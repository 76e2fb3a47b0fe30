using System;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Threading;
using System.Threading.Tasks;

namespace Rampart.Data;

/// <summary>
/// The stores' gateway to one database: the <see cref="DbDataSource"/>, a pool of sessions (open
/// connections with their prepared commands) and the current unit of work. Registered as a singleton by
/// <c>AddRampartData</c>; generated stores take it in their constructor.
/// </summary>
public sealed class RampartDatabase : IAsyncDisposable
{
    // The unit of work of the current asynchronous flow. Set synchronously by BeginUnitOfWork so that it
    // flows into the calls that follow in the caller's method.
    private static readonly AsyncLocal<RampartUnitOfWork?> CurrentUnitOfWork = new();

    private readonly ConcurrentQueue<RampartSession> _idle = new();
    private readonly int _maxIdle;
    private readonly int _commandTimeoutSeconds;
    private int _idleCount;
    private volatile bool _disposed;

    /// <summary>
    /// Wraps <paramref name="dataSource"/> of <paramref name="provider"/>;
    /// <see cref="RampartDataProvider.CreateDatabase"/> builds one from options.
    /// </summary>
    public RampartDatabase(DbDataSource dataSource, RampartDataProvider provider, int maxIdleSessions = 16, int commandTimeoutSeconds = 30)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentOutOfRangeException.ThrowIfNegative(maxIdleSessions);
        DataSource = dataSource;
        Provider = provider;
        _maxIdle = maxIdleSessions;
        _commandTimeoutSeconds = commandTimeoutSeconds;
    }

    /// <summary>The data source connections come from.</summary>
    public DbDataSource DataSource { get; }

    /// <summary>The engine.</summary>
    public RampartDataProvider Provider { get; }

    /// <summary>
    /// Starts a unit of work for the current asynchronous flow: the store calls that follow share one
    /// connection and transaction until <see cref="RampartUnitOfWork.CommitAsync"/> or disposal (rollback).
    /// </summary>
    public RampartUnitOfWork BeginUnitOfWork()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (CurrentUnitOfWork.Value is { IsActive: true } current && current.Database == this)
        {
            throw new InvalidOperationException("A unit of work is already active in this flow; units of work do not nest.");
        }

        var work = new RampartUnitOfWork(this);
        CurrentUnitOfWork.Value = work;
        return work;
    }

    /// <summary>A session for one store call: the current unit of work's, or a pooled one.</summary>
    public ValueTask<RampartSession> RentAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (CurrentUnitOfWork.Value is { IsActive: true } work && work.Database == this)
        {
            return work.SessionAsync(cancellationToken);
        }

        if (_idle.TryDequeue(out var session))
        {
            Interlocked.Decrement(ref _idleCount);
            return new ValueTask<RampartSession>(session);
        }

        return OpenSessionAsync(cancellationToken);
    }

    /// <summary>
    /// Gives a session back after a store call. A failed call marks its unit of work as failed (so it
    /// rolls back) or, outside one, closes the session rather than reuse a connection in an unknown state.
    /// </summary>
    public void Release(RampartSession session, bool succeeded)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.UnitOfWork is { } work)
        {
            work.Released(succeeded);
            return;
        }

        if (succeeded && !_disposed && Interlocked.Increment(ref _idleCount) <= _maxIdle)
        {
            _idle.Enqueue(session);
            return;
        }

        if (succeeded && !_disposed)
        {
            Interlocked.Decrement(ref _idleCount);
        }

        session.Dispose();
    }

    internal async ValueTask<RampartSession> OpenSessionAsync(CancellationToken cancellationToken)
    {
        var connection = await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return new RampartSession(connection, _commandTimeoutSeconds);
    }

    /// <summary>Closes the idle sessions and the data source.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        while (_idle.TryDequeue(out var session))
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        await DataSource.DisposeAsync().ConfigureAwait(false);
    }
}
