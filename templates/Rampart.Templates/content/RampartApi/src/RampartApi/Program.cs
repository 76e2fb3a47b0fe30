using RampartApi.Development;
using RampartApi.Notes;

var builder = WebApplication.CreateBuilder(args);
builder.AddRampart();                          // the Rampart section of appsettings.json; unsafe options fail at start-up
builder.AddRampartAuthentication();            // bearer tokens: Rampart:Authentication (issuer, audience, keys)
builder.Services.AddDevelopmentSigningKey();   // Development only, when no key is configured: a key generated in App_Data
builder.AddRampartData();                      // SQLite in App_Data; Migrations/*.sql applied at start-up
builder.Services.AddSingleton<NoteStore>();

var app = builder.Build();

// dotnet run -- token alice notes:write    (Development only: prints an access token for local calls)
if (args is ["token", ..])
{
    return TokenCommand.Run(app, args[1..]);
}

app.UseRampart();
app.UseRampartAuthentication();
app.MapRampartEndpoints();
app.Run();
return 0;
