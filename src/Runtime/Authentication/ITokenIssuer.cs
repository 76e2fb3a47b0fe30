using System;
using System.Collections.Generic;

namespace Rampart.Authentication;

/// <summary>Issues access tokens of Rampart's profile (RFC 9068 <c>at+jwt</c>), signed with the configured key.</summary>
public interface ITokenIssuer
{
    /// <summary>
    /// Issues an access token for <paramref name="subject"/> carrying <paramref name="permissions"/> as a
    /// space-separated <c>scope</c>, valid for <paramref name="lifetime"/> (default: the configured lifetime).
    /// </summary>
    AccessToken Issue(string subject, IEnumerable<string> permissions, TimeSpan? lifetime = null);
}

/// <summary>An issued access token.</summary>
/// <param name="Token">The compact JWS, to send as <c>Authorization: Bearer …</c>. A secret: never log it.</param>
/// <param name="Id">Its unique id (<c>jti</c>), the handle for revocation.</param>
/// <param name="IssuedAt">When it was issued (<c>iat</c>, <c>nbf</c>).</param>
/// <param name="ExpiresAt">When it expires (<c>exp</c>).</param>
public sealed record AccessToken(string Token, string Id, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>Keeps the token itself out of logs and debugger displays.</summary>
    public override string ToString() => $"AccessToken {{ Id = {Id}, ExpiresAt = {ExpiresAt:O} }}";
}
