using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;
using Npgsql;
using Xunit;

namespace Rampart.Data.Tests;

/// <summary>
/// A private PostgreSQL cluster for the tests: initdb into a temporary folder, started on a free loopback
/// port with trust authentication, stopped and deleted by <see cref="DisposeAsync"/>. Needs the PostgreSQL
/// server binaries (Debian: apt-get install -y postgresql; .ci/setup-postgres.sh does this). initdb refuses
/// to run as root, so as root the cluster runs as the <c>postgres</c> user (runuser).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private string _dataDir = string.Empty;
    private string _bin = string.Empty;
    private bool _asPostgresUser;
    private int _databases;

    public int Port { get; private set; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=15";

    public async ValueTask InitializeAsync()
    {
        _bin = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them (Debian/Ubuntu: apt-get install -y postgresql); .ci/setup-postgres.sh does this.");
        _asPostgresUser = Environment.UserName == "root";
        // As root the cluster runs as postgres, which must be able to reach the folder: /tmp, not a private TMPDIR.
        _dataDir = Path.Combine(_asPostgresUser ? "/tmp" : Path.GetTempPath(), "rampart-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_dataDir);
        if (_asPostgresUser)
        {
            Run("chown", $"postgres \"{_dataDir}\"", asPostgres: false);
        }

        Run(Path.Combine(_bin, "initdb"), $"-D \"{_dataDir}/data\" -U postgres --auth=trust --encoding=UTF8 --no-sync", _asPostgresUser);
        Port = FreePort();
        string options = $"-p {Port} -k {_dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        Run(Path.Combine(_bin, "pg_ctl"), $"-D \"{_dataDir}/data\" -l \"{_dataDir}/server.log\" -o \"{options}\" -w -t 60 start", _asPostgresUser);
        await Task.CompletedTask;
    }

    /// <summary>A new, empty database on the server; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        string name = "t" + System.Threading.Interlocked.Increment(ref _databases) + "_" + Guid.NewGuid().ToString("N")[..8];
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // CREATE DATABASE takes no parameters; the name is generated here, never input.
#pragma warning disable RAMP0070
        command.CommandText = "CREATE DATABASE " + name;
#pragma warning restore RAMP0070
        await command.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Maximum Pool Size=100";
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            if (Directory.Exists(Path.Combine(_dataDir, "data")))
            {
                Run(Path.Combine(_bin, "pg_ctl"), $"-D \"{_dataDir}/data\" -m immediate -w stop", _asPostgresUser);
            }
        }
        finally
        {
            if (Directory.Exists(_dataDir))
            {
                Directory.Delete(_dataDir, recursive: true);
            }
        }

        return ValueTask.CompletedTask;
    }

    private static void Run(string file, string arguments, bool asPostgres)
    {
        var start = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- \"{file}\" {arguments}")
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException(file + " did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {arguments} did not finish within 120 s");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}):\n{output.Result}\n{error.Result}");
        }
    }

    private static string? FindBinaries()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin"))
            : Enumerable.Empty<string>();
        candidates = candidates.Concat((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator));
        return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
