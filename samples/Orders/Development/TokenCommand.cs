using System;
using System.IO;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rampart.Authentication;

namespace Orders.Development;

/// <summary>
/// <c>token --sub &lt;subject&gt; [--scope "&lt;permission&gt; …"] [--minutes &lt;n&gt;]</c>: prints an access token
/// for local testing and exits. Development environment only.
/// </summary>
internal static class TokenCommand
{
    private const string Usage = "usage: token --sub <subject> [--scope \"<permission> <permission> ...\"] [--minutes <1-1440>]";

    public static int Run(WebApplication app, string[] args) => Run(app.Environment, app.Services, args, Console.Out, Console.Error);

    /// <summary>Runs the command; <paramref name="args"/>[0] is <c>token</c>. Returns the process exit code.</summary>
    public static int Run(IHostEnvironment environment, IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        if (!environment.IsDevelopment())
        {
            // Checked before anything is resolved: outside Development no key is generated, whatever the arguments.
            error.WriteLine($"The token command is for local testing and runs only in the Development environment (this is '{environment.EnvironmentName}'). Production tokens come from your identity provider.");
            return 2;
        }

        string? subject = null;
        string[] permissions = [];
        TimeSpan? lifetime = null;
        for (int i = 1; i < args.Length; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Length)
            {
                error.WriteLine($"{name}: a value is required.\n{Usage}");
                return 2;
            }

            string value = args[++i];
            switch (name)
            {
                case "--sub":
                    subject = value;
                    break;
                case "--scope":
                    permissions = value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    break;
                case "--minutes" when int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int minutes) && minutes is >= 1 and <= 1440:
                    lifetime = TimeSpan.FromMinutes(minutes);
                    break;
                default:
                    error.WriteLine($"{name} {value}: not understood.\n{Usage}");
                    return 2;
            }
        }

        if (string.IsNullOrWhiteSpace(subject))
        {
            error.WriteLine($"--sub is required.\n{Usage}");
            return 2;
        }

        var issuer = services.GetRequiredService<ITokenIssuer>();
        output.WriteLine(issuer.Issue(subject, permissions, lifetime).Token);
        return 0;
    }
}
