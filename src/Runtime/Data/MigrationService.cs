using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Rampart.Data;

/// <summary>
/// Applies the migrations of <see cref="RampartDataOptions.MigrationsDirectory"/> in <c>StartingAsync</c>, before
/// any hosted service starts (the web server included), so no request meets an old schema.
/// </summary>
internal sealed class MigrationService(RampartDatabase database, IOptions<RampartDataOptions> options, ILogger<MigrationService> logger) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (options.Value.MigrationsDirectory is not { Length: > 0 } folder)
        {
            return;
        }

        string path = Path.GetFullPath(folder, AppContext.BaseDirectory);
        await RampartMigrations.ApplyAsync(database, path, logger, cancellationToken).ConfigureAwait(false);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
