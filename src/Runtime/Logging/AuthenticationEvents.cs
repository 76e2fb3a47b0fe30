using Microsoft.Extensions.Logging;

namespace Rampart.Logging;

/// <summary>
/// Security events of bearer-token authentication (ids 1001–1099), logged under
/// <see cref="SecurityEvents.Category"/>. They name the reason class, the route and the client
/// address — never the token, a claim of an unvalidated token or a validator message.
/// </summary>
public static partial class AuthenticationEvents
{
    /// <summary>Event id: a protected endpoint was called without a bearer token.</summary>
    public const int TokenMissingId = 1001;

    /// <summary>Event id: a bearer token was rejected; the event carries the reason class.</summary>
    public const int TokenInvalidId = 1002;

    /// <summary>Event id: a bearer token had expired.</summary>
    public const int TokenExpiredId = 1003;

    /// <summary>Event id: a bearer token had been revoked.</summary>
    public const int TokenRevokedId = 1004;

    /// <summary>Event id: the revocation store failed, so a request with a valid token was refused (fail closed).</summary>
    public const int RevocationStoreUnavailableId = 1005;

    /// <summary>Event id: the JWKS document could not be fetched or read (the previous keys, if any, stay in use).</summary>
    public const int SigningKeysUnavailableId = 1006;

    /// <summary>Event id: a new set of signing keys was loaded from the JWKS document (the validated-token cache was cleared).</summary>
    public const int SigningKeysLoadedId = 1007;

    /// <summary>Event id: a first-party login failed (unknown user or wrong password, deliberately not told apart).</summary>
    public const int LoginFailedId = 1008;

    /// <summary>Event id: a first-party login succeeded.</summary>
    public const int LoginSucceededId = 1009;

    /// <summary>Event id: a used refresh token was presented again; its whole family was revoked.</summary>
    public const int RefreshReuseDetectedId = 1010;

    /// <summary>Event id: a refresh was refused by the application's <c>IRefreshTokenValidator</c> (the user was removed, disabled …); the family was revoked.</summary>
    public const int RefreshRefusedId = 1011;

    /// <summary>Event id: every refresh-token family and access token of a subject was revoked (password change, removal, compromise).</summary>
    public const int SubjectRevokedId = 1012;

    /// <summary>Logs a refresh refused by the validator: the family, its subject, the validator's reason and the access tokens revoked with it.</summary>
    [LoggerMessage(EventId = RefreshRefusedId, EventName = "RefreshRefused", Level = LogLevel.Warning,
        Message = "Refresh refused ({Reason}) for family {FamilyId} of {Subject} from {Client}; the family and {AccessTokens} access tokens were revoked")]
    public static partial void RefreshRefused(ILogger logger, string reason, string familyId, string subject, int accessTokens, string client);

    /// <summary>Logs the revocation of everything of a subject, with the reason given by the application.</summary>
    [LoggerMessage(EventId = SubjectRevokedId, EventName = "SubjectRevoked", Level = LogLevel.Warning,
        Message = "Every token of {Subject} issued before {NotBefore} revoked ({Reason}); {AccessTokens} access tokens of its refresh-token families listed")]
    public static partial void SubjectRevoked(ILogger logger, string subject, System.DateTimeOffset notBefore, string reason, int accessTokens);

    /// <summary>Logs a failed login by the user name as given (the password is never logged).</summary>
    [LoggerMessage(EventId = LoginFailedId, EventName = "LoginFailed", Level = LogLevel.Warning,
        Message = "Login failed for {UserName} from {Client}")]
    public static partial void LoginFailed(ILogger logger, string userName, string client);

    /// <summary>Logs a successful login and the issued access token's id.</summary>
    [LoggerMessage(EventId = LoginSucceededId, EventName = "LoginSucceeded", Level = LogLevel.Information,
        Message = "Login succeeded for {Subject} from {Client}; access token {TokenId}")]
    public static partial void LoginSucceeded(ILogger logger, string subject, string client, string tokenId);

    /// <summary>Logs refresh-token reuse: the family and the number of access tokens revoked with it.</summary>
    [LoggerMessage(EventId = RefreshReuseDetectedId, EventName = "RefreshReuseDetected", Level = LogLevel.Warning,
        Message = "Refresh reuse detected for family {FamilyId} of {Subject} from {Client}; the family and {AccessTokens} access tokens were revoked")]
    public static partial void RefreshReuseDetected(ILogger logger, string familyId, string subject, int accessTokens, string client);

    /// <summary>Logs a failed JWKS fetch; <paramref name="keptPreviousKeys"/> tells whether older keys remain in use.</summary>
    [LoggerMessage(EventId = SigningKeysUnavailableId, EventName = "SigningKeysUnavailable", Level = LogLevel.Error,
        Message = "The JWKS document could not be loaded (previous keys kept: {KeptPreviousKeys})")]
    public static partial void SigningKeysUnavailable(ILogger logger, System.Exception exception, bool keptPreviousKeys);

    /// <summary>Logs a changed key set read from the JWKS document.</summary>
    [LoggerMessage(EventId = SigningKeysLoadedId, EventName = "SigningKeysLoaded", Level = LogLevel.Information,
        Message = "Loaded {Count} signing keys from {Address}")]
    public static partial void SigningKeysLoaded(ILogger logger, int count, string address);

    /// <summary>Logs a failure of the revocation store (the request is refused with 503).</summary>
    [LoggerMessage(EventId = RevocationStoreUnavailableId, EventName = "RevocationStoreUnavailable", Level = LogLevel.Error,
        Message = "The token revocation store is unavailable; refused {Method} {Route} from {Client}")]
    public static partial void RevocationStoreUnavailable(ILogger logger, System.Exception exception, string method, string route, string client);

    /// <summary>Logs a request to a protected endpoint that carried no bearer token.</summary>
    [LoggerMessage(EventId = TokenMissingId, EventName = "TokenMissing", Level = LogLevel.Information,
        Message = "No bearer token on {Method} {Route} from {Client}")]
    public static partial void TokenMissing(ILogger logger, string method, string route, string client);

    /// <summary>Logs a rejected bearer token with its reason class (see <c>TokenRejectionReasons</c>).</summary>
    [LoggerMessage(EventId = TokenInvalidId, EventName = "TokenInvalid", Level = LogLevel.Warning,
        Message = "Bearer token rejected ({Reason}) on {Method} {Route} from {Client}")]
    public static partial void TokenInvalid(ILogger logger, string reason, string method, string route, string client);

    /// <summary>Logs an expired bearer token.</summary>
    [LoggerMessage(EventId = TokenExpiredId, EventName = "TokenExpired", Level = LogLevel.Information,
        Message = "Expired bearer token on {Method} {Route} from {Client}")]
    public static partial void TokenExpired(ILogger logger, string method, string route, string client);

    /// <summary>Logs a revoked bearer token by its id (<c>jti</c>, not a secret) and subject.</summary>
    [LoggerMessage(EventId = TokenRevokedId, EventName = "TokenRevoked", Level = LogLevel.Warning,
        Message = "Revoked bearer token {TokenId} of {Subject} on {Method} {Route} from {Client}")]
    public static partial void TokenRevoked(ILogger logger, string tokenId, string subject, string method, string route, string client);
}
