using System;
using System.Diagnostics;
using System.Net.Http;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace Rampart.Build.Tests.Infrastructure;

/// <summary>
/// An ASP.NET Core application started with the dotnet CLI in a child process, listening on a loopback port
/// the OS chooses (<c>--urls http://127.0.0.1:0</c>); the address is read from Kestrel's "Now listening on"
/// line. Disposing stops the whole process tree.
/// </summary>
internal sealed partial class RunningApp : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(2);

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly TaskCompletionSource<Uri> listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunningApp(Process process) => this.process = process;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>What the application wrote so far (console log).</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Runs <c>dotnet <paramref name="arguments"/> --urls http://127.0.0.1:0</c> and waits until it listens.</summary>
    public static async Task<RunningApp> StartAsync(string workingDirectory, string arguments, params (string Name, string? Value)[] environment)
    {
        var start = DotNetCli.StartInfo(workingDirectory, arguments + " --urls http://127.0.0.1:0", environment);
        var app = new RunningApp(new Process { StartInfo = start, EnableRaisingEvents = true });
        app.process.OutputDataReceived += (_, e) => app.Read(e.Data);
        app.process.ErrorDataReceived += (_, e) => app.Read(e.Data);
        app.process.Exited += (_, _) => app.listening.TrySetException(new InvalidOperationException("the application exited before it listened"));
        app.process.Start();
        app.process.BeginOutputReadLine();
        app.process.BeginErrorReadLine();

        try
        {
            app.BaseAddress = await app.listening.Task.WaitAsync(StartLimit);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"dotnet {arguments}: {e.Message}\n{app.Output}", e);
        }

        return app;
    }

    public HttpClient CreateClient() => new() { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
        TestContext.Current.TestOutputHelper?.WriteLine($"$ dotnet {process.StartInfo.Arguments}\n{Output}");
        process.Dispose();
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            listening.TrySetResult(new Uri(match.Groups[1].Value));
        }
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:[0-9]+)")]
    private static partial Regex ListeningLine();
}
