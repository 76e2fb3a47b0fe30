using System;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Rampart.Logging;

namespace Rampart.RateLimiting;

/// <summary>
/// A throttle per account for credential endpoints (a sign-in form, a password token endpoint): every attempt at
/// an account name counts, whatever address it comes from; after <see cref="AccountThrottleOptions.FreeAttempts"/>
/// attempts without a success the account is locked for <see cref="AccountThrottleOptions.FirstLockout"/>, twice
/// as long after each further attempt (up to <see cref="AccountThrottleOptions.MaxLockout"/>), and a success
/// resets it. Per-address limits cannot stop guesses spread over many addresses; this does.
/// </summary>
/// <remarks>
/// <para>Call <see cref="BeginAttemptAsync"/> before checking the password and refuse the attempt if it is not
/// allowed, without checking; call <see cref="SucceededAsync"/> after a success. Counting the attempt before the
/// check means parallel guesses cannot all pass before the first failure is recorded.</para>
/// <para>No account-enumeration oracle: the name is keyed as typed (normalised), never looked up, so a name that
/// does not exist is counted and locked exactly like one that does. The endpoint must still answer both alike
/// and do the same work for both (verify the password against a decoy hash for an unknown name).</para>
/// <para>Names are kept only as SHA-256 digests of their normalised form (trimmed, NFKC where the runtime has ICU,
/// upper case), in an <see cref="IAccountThrottleStore"/>: in memory by default, in Redis with
/// <c>AddRampartRedis</c>, so every instance sees the same count.</para>
/// </remarks>
public sealed class AccountThrottle
{
    private readonly IAccountThrottleStore _store;
    private readonly AccountThrottleOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the throttle; <paramref name="logger"/> receives the lock event (the <c>Rampart.Security</c> logger).</summary>
    public AccountThrottle(IAccountThrottleStore store, AccountThrottleOptions options, ILogger? logger = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Counts an attempt at <paramref name="accountName"/>, unless the account is locked: then the attempt is
    /// refused and must not be checked (answer 429 with <c>Retry-After</c>).
    /// </summary>
    public async ValueTask<AccountAttempt> BeginAttemptAsync(string accountName, CancellationToken cancellationToken)
    {
        string key = KeyFor(accountName);
        AccountAttempt attempt = await _store.BeginAttemptAsync(key, _options, cancellationToken).ConfigureAwait(false);
        if (attempt.IsAllowed && attempt.LockedFor > TimeSpan.Zero)
        {
            SecurityEvents.AccountLocked(_logger, key, attempt.Attempts, attempt.RetryAfterSeconds);
        }

        return attempt;
    }

    /// <summary>Resets the count of <paramref name="accountName"/> after a successful sign-in.</summary>
    public ValueTask SucceededAsync(string accountName, CancellationToken cancellationToken) =>
        _store.ResetAsync(KeyFor(accountName), cancellationToken);

    /// <summary>The store key of an account name: a digest of its normalised form (no name is stored).</summary>
    internal static string KeyFor(string accountName)
    {
        ArgumentNullException.ThrowIfNull(accountName);
        string normalised = accountName.Trim().Normalize(NormalizationForm.FormKC).ToUpperInvariant();
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(normalised), hash);
        return "acct:" + Convert.ToHexStringLower(hash[..16]);
    }
}

/// <summary>The outcome of <see cref="AccountThrottle.BeginAttemptAsync"/>.</summary>
/// <param name="IsAllowed">True when the attempt may be checked.</param>
/// <param name="Attempts">The attempts since the last success, this one included when it is allowed.</param>
/// <param name="LockedFor">
/// Refused: how long the account stays locked. Allowed: the lock this attempt started (it reached the free
/// attempts; the next attempt waits that long unless this one succeeds), else zero.
/// </param>
public readonly record struct AccountAttempt(bool IsAllowed, int Attempts, TimeSpan LockedFor)
{
    /// <summary><see cref="LockedFor"/> in whole seconds, rounded up and at least 1 (for <c>Retry-After</c>).</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(LockedFor.TotalSeconds));
}
