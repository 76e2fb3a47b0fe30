using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Rampart.Logging;
using Xunit;
using static Rampart.Authentication.Tests.Forge;

namespace Rampart.Authentication.Tests;

/// <summary>
/// A token without <c>kid</c> (as many issuers write them, PyJWT's <c>jwt.encode</c> among them): accepted when
/// exactly one key is known and the token's <c>alg</c> is that key's; refused as an unknown key otherwise.
/// </summary>
public sealed class KidlessTokenTests
{
    private const string HsHeaderNoKid = """{"alg":"HS256","typ":"at+jwt"}""";
    private const string EsHeaderNoKid = """{"alg":"ES256","typ":"at+jwt"}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void OnlyHs(RampartAuthenticationOptions options)
    {
        options.Issuer = AuthApp.Issuer;
        options.Audiences.Add(AuthApp.Audience);
        options.Keys.Add(RampartSigningKey.FromSecret(AuthApp.HsKeyId, AuthApp.HsSecret));
    }

    private static void OnlyEs(RampartAuthenticationOptions options)
    {
        options.Issuer = AuthApp.Issuer;
        options.Audiences.Add(AuthApp.Audience);
        options.Keys.Add(RampartSigningKey.FromEcdsa(AuthApp.EsKeyId, AuthApp.EsKey));
    }

    private static bool Logged(AuthApp app, string reason) =>
        app.SecurityEvents.Any(e => e.Id.Id == AuthenticationEvents.TokenInvalidId && e.Message.Contains("(" + reason + ")", StringComparison.Ordinal));

    [Fact]
    public async Task With_one_hs256_key_a_correct_token_without_kid_is_accepted()
    {
        await using var app = await AuthApp.StartAsync(OnlyHs);
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(Hs256(HsHeaderNoKid, Payload(app), AuthApp.HsSecret)));
        // The same token with the key's id, as before.
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(Hs256("""{"alg":"HS256","typ":"at+jwt","kid":"hs-1"}""", Payload(app), AuthApp.HsSecret)));
    }

    [Fact]
    public async Task With_one_es256_key_a_correct_token_without_kid_is_accepted()
    {
        await using var app = await AuthApp.StartAsync(OnlyEs);
        Assert.Equal(HttpStatusCode.OK, await app.StatusAsync(Es256(EsHeaderNoKid, Payload(app))));
    }

    [Fact]
    public async Task With_one_key_a_token_without_kid_is_still_checked_in_full()
    {
        await using var app = await AuthApp.StartAsync(OnlyHs);
        // Another secret: the one key is tried and the signature fails. IdentityModel reports a failed signature
        // of a token without kid as "no key found" (SecurityTokenSignatureKeyNotFoundException), so the reason
        // logged is unknown_key.
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(Hs256(HsHeaderNoKid, Payload(app), new byte[32])));
        Assert.True(Logged(app, TokenRejectionReasons.UnknownKey));
        // Another algorithm than the key's: no key, whatever the signature.
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(Forge.Es256(EsHeaderNoKid, Payload(app))));
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(Hs256("""{"alg":"HS384","typ":"at+jwt"}""", Payload(app), AuthApp.HsSecret)));
        // An empty kid is a kid that names no key, not a missing one.
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(Hs256("""{"alg":"HS256","typ":"at+jwt","kid":""}""", Payload(app), AuthApp.HsSecret)));
        Assert.True(Logged(app, TokenRejectionReasons.UnknownKey));
        // Claims are still checked: a wrong audience is refused.
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(Hs256(HsHeaderNoKid, Payload(app, aud: "\"someone-else\""), AuthApp.HsSecret)));
        Assert.True(Logged(app, TokenRejectionReasons.InvalidAudience));
    }

    [Fact]
    public async Task With_several_keys_a_token_without_kid_is_refused_as_an_unknown_key()
    {
        await using var app = await AuthApp.StartAsync(); // ES256 and HS256
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(Hs256(HsHeaderNoKid, Payload(app), AuthApp.HsSecret)));
        Assert.Equal(HttpStatusCode.Unauthorized, await app.StatusAsync(Es256(EsHeaderNoKid, Payload(app))));
        Assert.Equal(2, app.SecurityEvents.Count(e => e.Id.Id == AuthenticationEvents.TokenInvalidId
            && e.Message.Contains("(" + TokenRejectionReasons.UnknownKey + ")", StringComparison.Ordinal)));

        // Two keys of the same algorithm (a rotation): which one would be a guess.
        byte[] second = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        await using var rotating = await AuthApp.StartAsync(o =>
        {
            OnlyHs(o);
            o.Keys.Add(RampartSigningKey.FromSecret("hs-2", second));
        });
        Assert.Equal(HttpStatusCode.Unauthorized, await rotating.StatusAsync(Hs256(HsHeaderNoKid, Payload(rotating), AuthApp.HsSecret)));
        Assert.Equal(HttpStatusCode.Unauthorized, await rotating.StatusAsync(Hs256(HsHeaderNoKid, Payload(rotating), second)));
        Assert.True(Logged(rotating, TokenRejectionReasons.UnknownKey));
    }
}
