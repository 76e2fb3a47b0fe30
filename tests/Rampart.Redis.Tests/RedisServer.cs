using System;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;

namespace Rampart.Redis.Tests;

/// <summary>
/// A private redis-server on a free loopback port, started for the tests and stopped by PID
/// (no persistence). Needs the redis-server binary (Debian: apt-get install redis-server;
/// .ci/run installs it).
/// </summary>
public sealed class RedisServer : IDisposable
{
    /// <summary>
    /// The test collection of every class that starts a server: they run one after another, so one
    /// class's load does not skew another's rate-limit timing on a busy machine.
    /// </summary>
    public const string Collection = "redis-server";

    private Process? _process;

    public RedisServer()
    {
        Port = FreePort();
        Start();
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public bool IsRunning => _process is { HasExited: false };

    public void Start()
    {
        string binary = FindRedis() ?? throw new InvalidOperationException(
            "redis-server was not found on PATH. Install it (Debian/Ubuntu: apt-get install -y redis-server); .ci/run does this.");
        var start = new ProcessStartInfo(binary, $"--port {Port} --bind 127.0.0.1 --save \"\" --appendonly no --protected-mode yes")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException($"redis-server did not listen on port {Port} within 10 s");
    }

    /// <summary>Kills the server (an outage).</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }

    private static string? FindRedis()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : null;
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
