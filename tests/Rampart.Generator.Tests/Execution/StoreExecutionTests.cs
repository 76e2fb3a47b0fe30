using System;
using System.IO;
using System.Threading.Tasks;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests.Execution;

/// <summary>
/// A store compiled in-process with the generator, emitted, loaded and run against SQLite: the snapshot's
/// kind of generated code executes, binds every shape and type, and reads back what it wrote.
/// </summary>
public sealed class StoreExecutionTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using Rampart;
        using Rampart.Data;

        namespace ExecStores;

        public sealed record Thing(long Id, string Name, decimal Price, bool Active, Guid Ref, DateTimeOffset At, double? Score, byte[]? Blob);

        public sealed partial class ThingStore
        {
            [Sql("INSERT INTO things (id, name, price, active, ref, at, score, blob) VALUES (@id, @name, @price, @active, @ref, @at, @score, @blob)")]
            public partial Task<int> InsertAsync(long id, string name, decimal price, bool active, Guid @ref, DateTimeOffset at, double? score, byte[]? blob, CancellationToken cancellationToken);

            [Sql("SELECT id, name, price, active, ref, at, score, blob FROM things WHERE id = @id")]
            public partial Task<Thing?> FindAsync(long id, CancellationToken cancellationToken);

            [Sql("SELECT id, name, price, active, ref, at, score, blob FROM things WHERE name LIKE @pattern ORDER BY id")]
            public partial IAsyncEnumerable<Thing> StreamAsync(string pattern, CancellationToken cancellationToken);

            [Sql("SELECT COUNT(*) FROM things WHERE active = @active")]
            public partial Task<long> CountAsync(bool active);
        }

        public static class Harness
        {
            public static async Task<string> RunAsync(string folder)
            {
                await using var database = SqliteDataProvider.Instance.CreateDatabase(new RampartDataOptions { DataDirectory = folder }, folder);
                await using (var connection = await database.DataSource.OpenConnectionAsync())
                await using (var create = connection.CreateCommand())
                {
                    create.CommandText = "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price TEXT NOT NULL, active INTEGER NOT NULL, ref BLOB NOT NULL, at TEXT NOT NULL, score REAL NULL, blob BLOB NULL)";
                    await create.ExecuteNonQueryAsync();
                }

                var store = new ThingStore(database);
                var at = new DateTimeOffset(2026, 11, 28, 7, 30, 0, TimeSpan.FromHours(2));
                var guid = new Guid("6f9619ff-8b86-d011-b42d-00cf4fc964ff");
                await store.InsertAsync(1, "it's \"quoted\"; DROP TABLE things; --", 12.5m, true, guid, at, null, null, CancellationToken.None);
                await store.InsertAsync(2, "second", 0.01m, false, Guid.Empty, at.AddDays(1), 0.5, new byte[] { 1, 2, 3 }, CancellationToken.None);

                var first = await store.FindAsync(1, CancellationToken.None);
                var missing = await store.FindAsync(3, CancellationToken.None);
                var all = new List<Thing>();
                await foreach (var t in store.StreamAsync("%", CancellationToken.None))
                {
                    all.Add(t);
                }

                return string.Join("|",
                    first!.Name, first.Price.ToString(System.Globalization.CultureInfo.InvariantCulture), first.Active, first.Ref, first.At.ToString("O"), first.Score is null, first.Blob is null,
                    missing is null, all.Count, string.Join(",", all[1].Blob!), all[1].Score,
                    await store.CountAsync(true), await store.CountAsync(false));
            }
        }
        """;

    [Fact]
    public async Task A_generated_store_writes_and_reads_every_supported_type()
    {
        var output = TestCompiler.Run(new SourceFile("Stores.cs", Source)).AssertNoGeneratorDiagnostics();
        using var assembly = CompiledAssembly.Load(output);
        string folder = Path.Combine(Path.GetTempPath(), "rampart-exec-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            string result = await (Task<string>)assembly.Call("ExecStores.Harness", "RunAsync", folder)!;
            Assert.Equal(
                "it's \"quoted\"; DROP TABLE things; --|12.5|True|6f9619ff-8b86-d011-b42d-00cf4fc964ff|2026-11-28T07:30:00.0000000+02:00|True|True|True|2|1,2,3|0.5|1|1",
                result);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
