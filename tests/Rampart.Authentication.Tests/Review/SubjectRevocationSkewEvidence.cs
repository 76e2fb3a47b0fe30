using System;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Rampart.Authentication.Tests.Review;

/// <summary>
/// Review evidence (not a fix): subject revocation compares the token's iat with the revoking server's clock,
/// while tokens with an iat up to ClockSkew (30 s by default, up to 5 minutes) in the future are accepted. A token minted BEFORE the
/// revocation by an issuer whose clock runs ahead (the OpenIddict server on another machine, JWKS) survives it
/// for its whole lifetime.
/// </summary>
public sealed class SubjectRevocationSkewEvidence
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_of_an_issuer_whose_clock_is_twenty_seconds_ahead_survives_the_revocation()
    {
        await using var app = await AuthApp.StartAsync(configuration: null, AuthApp.DefaultKeys);
        long now = Forge.Now(app);

        // Minted now (real time) by an issuer whose clock reads now + 20 s: accepted (within the default 30 s skew).
        string token = Forge.Es256(Forge.EsHeader, Forge.Payload(app, iat: (now + 20).ToString()));
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(token));

        var revoking = app.Services.GetRequiredService<RefreshTokenService>().RevokeSubjectAsync("alice", "compromised", Ct).AsTask();
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await revoking.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        // The token was issued before the revocation, yet it is still accepted.
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(token));
    }
}
