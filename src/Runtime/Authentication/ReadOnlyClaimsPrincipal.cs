using System;
using System.Collections.Generic;
using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;

namespace Rampart.Authentication;

/// <summary>
/// The principal of a cached token, shared by every request that presents that same token (so a hit costs no
/// copy): read-only, so that nothing one request does to it reaches the next. Adding or removing claims or
/// identities throws; <see cref="Clone"/> gives a mutable deep copy. Claim look-ups are case-sensitive, as
/// after a full validation, and allocate nothing.
/// </summary>
internal sealed class ReadOnlyClaimsPrincipal : ClaimsPrincipal
{
    internal const string ReadOnlyMessage =
        "The principal of a cached bearer token is shared by the requests that present the token and is read-only. " +
        "Add claims in an IClaimsTransformation (requests then get a private copy), or set Rampart:Authentication:EnableValidatedTokenCache to false.";

    private readonly ReadOnlyClaimsIdentity[] _identities;
    private readonly System.Collections.ObjectModel.ReadOnlyCollection<ClaimsIdentity> _view;
    private readonly bool _frozen;

    private ReadOnlyClaimsPrincipal(ReadOnlyClaimsIdentity[] identities)
        : base(identities)
    {
        _identities = identities;
        _view = new System.Collections.ObjectModel.ReadOnlyCollection<ClaimsIdentity>(identities);
        Subject = FindFirst("sub")?.Value;
        _frozen = true;
    }

    /// <summary>The identities, for allocation-free walks (the permission check).</summary>
    internal ReadOnlyClaimsIdentity[] IdentityArray => _identities;

    /// <summary>A read-only view: the base class would hand out its own list, which a cast could change.</summary>
    public override IEnumerable<ClaimsIdentity> Identities => _view;

    /// <summary>The <c>sub</c> claim's value, read once.</summary>
    public string? Subject { get; }

    /// <summary>
    /// A read-only copy of <paramref name="principal"/>, or null when it cannot be shared safely: an identity that is
    /// not IdentityModel's case-sensitive one, or one with an actor (a mutable identity of its own).
    /// </summary>
    public static ReadOnlyClaimsPrincipal? TryCreate(ClaimsPrincipal principal)
    {
        var identities = new List<ReadOnlyClaimsIdentity>();
        foreach (var identity in principal.Identities)
        {
            if (identity is not CaseSensitiveClaimsIdentity caseSensitive || identity.Actor is not null)
            {
                return null;
            }

            identities.Add(new ReadOnlyClaimsIdentity(caseSensitive));
        }

        return new ReadOnlyClaimsPrincipal([.. identities]);
    }

    public override void AddIdentity(ClaimsIdentity identity)
    {
        ThrowIfFrozen(_frozen);
        base.AddIdentity(identity);
    }

    public override void AddIdentities(IEnumerable<ClaimsIdentity> identities)
    {
        ThrowIfFrozen(_frozen);
        base.AddIdentities(identities);
    }

    public override Claim? FindFirst(string type)
    {
        foreach (var identity in _identities)
        {
            if (identity.FindFirst(type) is { } claim)
            {
                return claim;
            }
        }

        return null;
    }

    public override ClaimsPrincipal Clone()
    {
        var copy = new ClaimsPrincipal();
        foreach (var identity in _identities)
        {
            copy.AddIdentity(identity.Clone());
        }

        return copy;
    }

    internal static void ThrowIfFrozen(bool frozen)
    {
        if (frozen)
        {
            throw new InvalidOperationException(ReadOnlyMessage);
        }
    }
}

/// <summary>An identity of a <see cref="ReadOnlyClaimsPrincipal"/>: its claims cannot be added or removed.</summary>
internal sealed class ReadOnlyClaimsIdentity : CaseSensitiveClaimsIdentity
{
    private readonly Claim[] _claims;
    private readonly System.Collections.ObjectModel.ReadOnlyCollection<Claim> _view;
    private readonly bool _frozen;

    // The copy constructor does not keep the parsed token, so the token text is not held by the cache.
    public ReadOnlyClaimsIdentity(CaseSensitiveClaimsIdentity source)
        : base(source)
    {
        _claims = [.. base.Claims];
        _view = new System.Collections.ObjectModel.ReadOnlyCollection<Claim>(_claims);
        _frozen = true;
    }

    /// <summary>The claims, for allocation-free walks (the permission check).</summary>
    internal Claim[] ClaimArray => _claims;

    /// <summary>A read-only view: the base class would hand out its own list, which a cast could change.</summary>
    public override IEnumerable<Claim> Claims => _view;

    public override void AddClaim(Claim claim)
    {
        ReadOnlyClaimsPrincipal.ThrowIfFrozen(_frozen);
        base.AddClaim(claim);
    }

    public override void AddClaims(IEnumerable<Claim?> claims)
    {
        ReadOnlyClaimsPrincipal.ThrowIfFrozen(_frozen);
        base.AddClaims(claims);
    }

    public override void RemoveClaim(Claim? claim)
    {
        ReadOnlyClaimsPrincipal.ThrowIfFrozen(_frozen);
        base.RemoveClaim(claim);
    }

    public override bool TryRemoveClaim(Claim? claim)
    {
        ReadOnlyClaimsPrincipal.ThrowIfFrozen(_frozen);
        return base.TryRemoveClaim(claim);
    }

    // Case-sensitive like CaseSensitiveClaimsIdentity, without its predicate and enumerator allocations.
    public override Claim? FindFirst(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (var claim in _claims)
        {
            if (string.Equals(claim.Type, type, StringComparison.Ordinal))
            {
                return claim;
            }
        }

        return null;
    }

    /// <summary>A mutable copy.</summary>
    public override ClaimsIdentity Clone() => new CaseSensitiveClaimsIdentity(this);
}
