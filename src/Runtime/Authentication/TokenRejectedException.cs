using Microsoft.IdentityModel.Tokens;

namespace Rampart.Authentication;

/// <summary>A token refused by Rampart's own checks, with the reason class to log.</summary>
internal sealed class TokenRejectedException : SecurityTokenException
{
    public TokenRejectedException(string reason)
        : base("The bearer token was rejected: " + reason) => Reason = reason;

    public string Reason { get; }
}
