namespace Rampart.Authentication;

/// <summary>
/// The reason classes logged with a rejected token (event 1002). Stable strings for alerting; they
/// describe the kind of failure, never the token or a validator message.
/// </summary>
public static class TokenRejectionReasons
{
    /// <summary>More than one Authorization header.</summary>
    public const string MultipleAuthorizationHeaders = "multiple_authorization_headers";

    /// <summary>An <c>access_token</c> in the query string (only the Authorization header is accepted).</summary>
    public const string TokenInQuery = "token_in_query";

    /// <summary>A token longer than the configured maximum.</summary>
    public const string Oversized = "oversized";

    /// <summary>Not a compact JWS of three canonical base64url segments with JSON objects (JSON serialization, JWE, whitespace …).</summary>
    public const string Malformed = "malformed";

    /// <summary>An empty signature segment.</summary>
    public const string Unsigned = "unsigned";

    /// <summary>A JSON member name present twice in the header or the payload.</summary>
    public const string DuplicateMember = "duplicate_member";

    /// <summary>An <c>alg</c> that no configured key allows (<c>none</c> included).</summary>
    public const string AlgorithmNotAllowed = "algorithm_not_allowed";

    /// <summary>A header that would let the token choose its own key (<c>jwk</c>, <c>jku</c>, <c>x5u</c>, <c>x5c</c>).</summary>
    public const string EmbeddedKey = "embedded_key";

    /// <summary>A <c>crit</c> header (no extension is understood, so every entry is unknown).</summary>
    public const string UnsupportedCritical = "unsupported_crit";

    /// <summary>A registered claim of the wrong JSON type (a string <c>exp</c>, a numeric <c>sub</c> …).</summary>
    public const string InvalidClaimType = "invalid_claim_type";

    /// <summary>A missing, empty or blank <c>sub</c>.</summary>
    public const string MissingSubject = "missing_subject";

    /// <summary>A <c>kid</c> that names no configured key for the token's algorithm.</summary>
    public const string UnknownKey = "unknown_key";

    /// <summary>A signature that does not verify.</summary>
    public const string InvalidSignature = "invalid_signature";

    /// <summary>A wrong or missing <c>iss</c>.</summary>
    public const string InvalidIssuer = "invalid_issuer";

    /// <summary>A wrong or missing <c>aud</c>.</summary>
    public const string InvalidAudience = "invalid_audience";

    /// <summary>A wrong or missing <c>typ</c>.</summary>
    public const string InvalidType = "invalid_type";

    /// <summary>No <c>exp</c>.</summary>
    public const string MissingExpiration = "missing_exp";

    /// <summary><c>nbf</c> in the future.</summary>
    public const string NotYetValid = "not_yet_valid";

    /// <summary><c>nbf</c> after <c>exp</c>.</summary>
    public const string InvalidLifetime = "invalid_lifetime";

    /// <summary><c>iat</c> in the future.</summary>
    public const string IssuedInFuture = "issued_in_future";

    /// <summary>Older than the configured maximum token age (or no <c>iat</c> while one is configured).</summary>
    public const string TooOld = "too_old";

    /// <summary>A missing or empty <c>jti</c> (RFC 9068 requires it; without it a token cannot be revoked).</summary>
    public const string MissingTokenId = "missing_jti";

    /// <summary>Revoked (logged as event 1004).</summary>
    public const string Revoked = "revoked";

    /// <summary>The revocation store failed; the request fails closed with 503 (event 1005).</summary>
    public const string RevocationUnavailable = "revocation_unavailable";

    /// <summary>No key of the configured JWKS document could be loaded; the request fails closed with 503.</summary>
    public const string SigningKeysUnavailable = "signing_keys_unavailable";

    /// <summary>Expired (logged as event 1003).</summary>
    public const string Expired = "expired";

    /// <summary>Any other validation failure.</summary>
    public const string Invalid = "invalid";
}
