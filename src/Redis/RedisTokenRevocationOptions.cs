using System;

namespace Rampart.Redis;

/// <summary>Options of <see cref="RedisTokenRevocationStore"/>.</summary>
public sealed class RedisTokenRevocationOptions
{
    /// <summary>The StackExchange.Redis configuration string; default <c>localhost:6379</c>.</summary>
    public string ConnectionString { get; set; } = "localhost:6379";

    /// <summary>The prefix of the deny-list keys; default <c>rampart:revoked:</c>.</summary>
    public string KeyPrefix { get; set; } = "rampart:revoked:";

    /// <summary>
    /// The prefix of the subject-revocation keys; default <c>rampart:revoked-subject:</c>. It must not start with
    /// <see cref="KeyPrefix"/> (a token id could then name a subject's key).
    /// </summary>
    public string SubjectKeyPrefix { get; set; } = "rampart:revoked-subject:";

    /// <summary>How long a check may take before the request fails closed (503); default 500 ms.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
