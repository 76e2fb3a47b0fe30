using Rampart.Authentication;

namespace RampartApi.Development;

/// <summary>
/// <c>dotnet run -- token &lt;subject&gt; [permission ...]</c>: prints an access token signed with the development
/// key, valid for an hour, and exits. Development environment only.
/// </summary>
internal static class TokenCommand
{
    public static int Run(WebApplication app, string[] args)
    {
        if (!app.Environment.IsDevelopment())
        {
            Console.Error.WriteLine($"token: only in the Development environment (this is '{app.Environment.EnvironmentName}'); tokens come from your identity provider.");
            return 2;
        }

        if (args.Length == 0 || string.IsNullOrWhiteSpace(args[0]))
        {
            Console.Error.WriteLine("usage: dotnet run -- token <subject> [permission ...]");
            return 2;
        }

        var issuer = app.Services.GetRequiredService<ITokenIssuer>();
        Console.WriteLine(issuer.Issue(args[0], args[1..]).Token);
        return 0;
    }
}
