using System;
using System.Threading;
using System.Threading.Tasks;

namespace Rampart.Data;

/// <summary>
/// A transaction shared by every store call of the current asynchronous flow until it is committed or
/// disposed. Disposing without <see cref="CommitAsync"/> rolls back, and so does any exception thrown by
/// a store call inside it: after a failed call, <see cref="CommitAsync"/> rolls back and throws.
/// </summary>
/// <example>
/// <code>
/// await using (var work = database.BeginUnitOfWork())
/// {
///     await orders.InsertAsync(...);
///     await audit.RecordAsync(...);
///     await work.CommitAsync(cancellationToken);
/// }
/// </code>
/// </example>
public sealed class RampartUnitOfWork : IAsyncDisposable
{
    private RampartSession? _session;
    private bool _failed;
    private bool _completed;

    internal RampartUnitOfWork(RampartDatabase database) => Database = database;

    internal RampartDatabase Database { get; }

    /// <summary>False once committed, rolled back or disposed.</summary>
    public bool IsActive => !_completed;

    internal async ValueTask<RampartSession> SessionAsync(CancellationToken cancellationToken)
    {
        if (_session is null)
        {
            // The connection and transaction start with the first store call, not with the scope.
            var session = await Database.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                session.Transaction = await session.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await session.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            session.UnitOfWork = this;
            _session = session;
        }

        _session.Enter();
        return _session;
    }

    internal void Released(bool succeeded)
    {
        _failed |= !succeeded;
        _session?.Exit();
    }

    /// <summary>Commits every write made inside this unit of work.</summary>
    /// <exception cref="InvalidOperationException">A store call inside it failed; everything was rolled back.</exception>
    public async Task CommitAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_failed)
        {
            await RollbackAsync().ConfigureAwait(false);
            throw new InvalidOperationException("A store call inside this unit of work failed; it was rolled back.");
        }

        _completed = true;
        if (_session is { Transaction: { } transaction } session)
        {
            try
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await EndAsync(session, reusable: false).ConfigureAwait(false);
                throw;
            }

            await EndAsync(session, reusable: true).ConfigureAwait(false);
        }
    }

    /// <summary>Rolls back unless committed.</summary>
    public ValueTask DisposeAsync() => _completed ? ValueTask.CompletedTask : RollbackAsync();

    private async ValueTask RollbackAsync()
    {
        _completed = true;
        if (_session is { } session)
        {
            bool reusable = true;
            try
            {
                if (session.Transaction is { } transaction)
                {
                    await transaction.RollbackAsync().ConfigureAwait(false);
                }
            }
            catch (Exception) when (!_failed)
            {
                reusable = false;
                throw;
            }
            catch (Exception)
            {
                // The call that failed is the error that matters; a broken connection is simply not reused.
                reusable = false;
            }
            finally
            {
                await EndAsync(session, reusable).ConfigureAwait(false);
            }
        }
    }

    private async ValueTask EndAsync(RampartSession session, bool reusable)
    {
        _session = null;
        if (session.Transaction is { } transaction)
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
        }

        session.Transaction = null;
        session.UnitOfWork = null;
        session.Exit();
        Database.Release(session, reusable);
    }
}
