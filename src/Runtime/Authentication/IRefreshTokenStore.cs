using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Rampart.Authentication;

/// <summary>
/// Where refresh tokens are kept — by their SHA-256 hash only, never the token itself. Implementations
/// must make <see cref="RedeemAsync"/> atomic: of concurrent redemptions of one token, exactly one
/// succeeds.
/// </summary>
public interface IRefreshTokenStore
{
    /// <summary>Stores a new token; false (nothing stored) when its family has been revoked meanwhile.</summary>
    ValueTask<bool> AddAsync(RefreshTokenEntry entry, CancellationToken cancellationToken);

    /// <summary>
    /// Rotation, atomically: when the token is unused, unrevoked and unexpired, marks it used and stores the
    /// entry <paramref name="successor"/> builds from it (called once, under the store's lock or transaction,
    /// so a concurrent family revocation covers the successor too); otherwise says why not. When
    /// <paramref name="successor"/> throws, the redemption is abandoned: the token stays as it was and the
    /// exception propagates (<see cref="RefreshTokenService"/> abandons one for an entry it has not validated).
    /// </summary>
    ValueTask<RefreshTokenRedemption> RedeemAsync(byte[] tokenHash, DateTimeOffset now, Func<RefreshTokenEntry, RefreshTokenEntry> successor, CancellationToken cancellationToken);

    /// <summary>
    /// What <see cref="RedeemAsync"/> would answer now, without redeeming or changing anything
    /// (<see cref="RefreshTokenRedemptionStatus.Redeemed"/>: the token is unused, unrevoked and unexpired).
    /// </summary>
    ValueTask<RefreshTokenRedemption> InspectAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes every token of the family; returns the access tokens issued with them (to revoke those too).</summary>
    ValueTask<IReadOnlyList<IssuedAccessToken>> RevokeFamilyAsync(string familyId, CancellationToken cancellationToken);

    /// <summary>
    /// Revokes every family of <paramref name="subject"/> (as <see cref="RevokeFamilyAsync"/> does each); returns the
    /// access tokens issued within them. Families started afterwards are not affected.
    /// </summary>
    ValueTask<IReadOnlyList<IssuedAccessToken>> RevokeSubjectAsync(string subject, CancellationToken cancellationToken);

    /// <summary>The family of the refresh token issued together with the access token <paramref name="accessTokenId"/>, if any.</summary>
    ValueTask<string?> FindFamilyAsync(string accessTokenId, CancellationToken cancellationToken);
}

/// <summary>One stored refresh token.</summary>
/// <param name="TokenHash">SHA-256 of the token text.</param>
/// <param name="FamilyId">The family: every token obtained by rotation from one login.</param>
/// <param name="Subject">The user.</param>
/// <param name="Scope">The space-separated permissions granted at login.</param>
/// <param name="AccessTokenId">The <c>jti</c> of the access token issued with it.</param>
/// <param name="AccessTokenExpiresAt">That access token's <c>exp</c>.</param>
/// <param name="ExpiresAt">The family's absolute expiry (rotation never extends it).</param>
public sealed record RefreshTokenEntry(byte[] TokenHash, string FamilyId, string Subject, string Scope, string AccessTokenId,
    DateTimeOffset AccessTokenExpiresAt, DateTimeOffset ExpiresAt);

/// <summary>An access token issued within a refresh-token family.</summary>
public readonly record struct IssuedAccessToken(string TokenId, DateTimeOffset ExpiresAt);

/// <summary>The outcome of <see cref="IRefreshTokenStore.RedeemAsync"/>.</summary>
public enum RefreshTokenRedemptionStatus
{
    /// <summary>The token was valid and is now used.</summary>
    Redeemed,

    /// <summary>No such token.</summary>
    NotFound,

    /// <summary>The token had been used before: reuse (the family must be revoked).</summary>
    Reused,

    /// <summary>The family's absolute lifetime is over.</summary>
    Expired,

    /// <summary>The family was revoked (logout or earlier reuse).</summary>
    Revoked,
}

/// <summary>The outcome of a redemption, with the stored entry when the token exists.</summary>
public readonly record struct RefreshTokenRedemption(RefreshTokenRedemptionStatus Status, RefreshTokenEntry? Entry);
