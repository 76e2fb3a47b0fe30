using System;
using System.Collections.Concurrent;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.Data.Sqlite;

namespace Rampart.Authentication;

/// <summary>
/// A 64-bit value that every <see cref="SqliteTokenRevocationStore"/> on the same database changes after it
/// commits a revocation, so that the others know to re-read the table. For a database file it lives in a
/// small memory-mapped file beside it (<c>rampart.db-revocation-epoch</c>), which every process of the host
/// maps: reading it costs a memory read, not a query. Memory databases (one process) share it in memory.
/// Only "changed or not" matters: a writer stores a fresh random value (so no cross-process atomic increment
/// is needed, and a torn read can only cause a needless re-read).
/// </summary>
internal sealed class RevocationEpoch : IDisposable
{
    private const long Size = 8;
    private static readonly ConcurrentDictionary<string, StrongBox<long>> InProcess = new(StringComparer.Ordinal);

    private readonly MemoryMappedFile? _file;
    private readonly MemoryMappedViewAccessor? _view;
    private readonly StrongBox<long>? _local;

    private RevocationEpoch(MemoryMappedFile file, MemoryMappedViewAccessor view)
    {
        _file = file;
        _view = view;
    }

    private RevocationEpoch(StrongBox<long> local) => _local = local;

    /// <summary>The path of the epoch file of a file database, or null for a memory or URI data source.</summary>
    internal static string? PathFor(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        string source = builder.DataSource;
        if (builder.Mode is SqliteOpenMode.Memory || string.IsNullOrEmpty(source) || source == ":memory:"
            || source.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return Path.GetFullPath(source) + "-revocation-epoch";
    }

    /// <summary>The epoch shared by the stores of the database of <paramref name="connectionString"/>.</summary>
    public static RevocationEpoch Open(string connectionString)
    {
        if (PathFor(connectionString) is not { } path)
        {
            return new RevocationEpoch(InProcess.GetOrAdd(connectionString, static _ => new StrongBox<long>()));
        }

        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            if (stream.Length < Size)
            {
                stream.SetLength(Size);
            }

            var file = MemoryMappedFile.CreateFromFile(stream, mapName: null, capacity: 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            try
            {
                return new RevocationEpoch(file, file.CreateViewAccessor(0, Size, MemoryMappedFileAccess.ReadWrite));
            }
            catch
            {
                file.Dispose();
                throw;
            }
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The current value.</summary>
    public long Read() => _view is not null ? _view.ReadInt64(0) : Volatile.Read(ref _local!.Value);

    /// <summary>Signals a change: stores a new random value.</summary>
    public void Change()
    {
        long value = Random.Shared.NextInt64(1, long.MaxValue);
        if (_view is not null)
        {
            // A shared mapping is coherent between processes at once; nothing needs to reach the disk.
            _view.Write(0, value);
        }
        else
        {
            Volatile.Write(ref _local!.Value, value);
        }
    }

    public void Dispose()
    {
        _view?.Dispose();
        _file?.Dispose();
    }
}
