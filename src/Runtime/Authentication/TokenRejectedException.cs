using Microsoft.IdentityModel.Tokens;

namespace Rampart.Authentication;

/// <summary>A token refused by Rampart's own checks, with the reason class to log.</summary>
internal sealed class TokenRejectedException : SecurityTokenException
{
    public TokenRejectedException(string reason, string? tokenId = null, string? subject = null)
        : base("The bearer token was rejected: " + reason)
    {
        Reason = reason;
        TokenId = tokenId;
        Subject = subject;
    }

    public TokenRejectedException(string reason, System.Exception inner)
        : base("The bearer token was rejected: " + reason, inner) => Reason = reason;

    public string Reason { get; }

    /// <summary>The validated token's <c>jti</c> (revocation only).</summary>
    public string? TokenId { get; }

    /// <summary>The validated token's <c>sub</c> (revocation only).</summary>
    public string? Subject { get; }
}
