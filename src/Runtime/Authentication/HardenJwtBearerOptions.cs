using System;
using System.Linq;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Rampart.Authentication;

/// <summary>
/// Puts Rampart's profile onto the JwtBearer scheme. A post-configuration, so it runs after every
/// <c>Configure&lt;JwtBearerOptions&gt;</c> of the application: nothing configured elsewhere loosens it. Keys come
/// only from the profile or its JWKS document (fetched by <see cref="JwksKeySource"/>, not by JwtBearer): no
/// metadata from the token, no authority of JwtBearer's own; every claim check is exact; the handler's events are
/// <see cref="RampartJwtBearerEvents"/>.
/// </summary>
internal sealed class HardenJwtBearerOptions(
    IOptions<RampartAuthenticationOptions> startup,
    IOptionsFactory<RampartAuthenticationOptions> factory,
    TimeProvider time,
    SigningKeyRing ring,
    JwksKeySource jwks) : IPostConfigureOptions<JwtBearerOptions>
{
    public void PostConfigure(string? name, JwtBearerOptions jwt)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }

        // The first build uses the IOptions snapshot (the instance the issuer and the application see); a rebuild
        // after a configuration reload reads the options afresh, so key changes take effect.
        var options = ring.Cache.ClaimStartupProfile() ? startup.Value : factory.Create(Options.DefaultName);

        // A new key set (start-up or reload): tokens validated with the previous one are forgotten.
        long version = ring.PublishOptions(options);
        jwks.Configure(options);
        jwt.Authority = null;
        jwt.MetadataAddress = string.Empty;
        jwt.Configuration = null;
        jwt.ConfigurationManager = null;
        jwt.RefreshOnIssuerKeyNotFound = false;
        jwt.IncludeErrorDetails = false;
        jwt.SaveToken = false;
        jwt.MapInboundClaims = false;
        jwt.TimeProvider = time;
        jwt.TokenHandlers.Clear();
        jwt.TokenHandlers.Add(new JsonWebTokenHandler
        {
            MapInboundClaims = false,
            MaximumTokenSizeInBytes = options.MaxTokenLength,
        });

        var algorithms = options.Keys.Select(k => k.Algorithm).Concat(jwks.Enabled ? JwksKeySource.Algorithms : []).Distinct(StringComparer.Ordinal).ToArray();
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidateIssuer = true,
            ValidAudiences = options.Audiences.ToArray(),
            ValidateAudience = true,
            RequireAudience = true,
            IgnoreTrailingSlashWhenValidatingAudience = false,
            ValidateLifetime = true,
            RequireExpirationTime = true,
            ClockSkew = options.ClockSkew,
            LifetimeValidator = (notBefore, expires, _, _) => TokenChecks.ValidateLifetime(notBefore, expires, options.ClockSkew, time),
            RequireSignedTokens = true,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = algorithms,
            ValidTypes = options.ValidTypes.ToArray(),
            TryAllIssuerSigningKeys = false,
            IssuerSigningKeyResolver = (_, token, kid, _) => SigningKeyResolver.Resolve(ring.Current!.Keys, token, kid),
            NameClaimType = "sub",
            RoleClaimType = "role",
            SaveSigninToken = false,
            ValidateTokenReplay = false,
        };

        jwt.Events = new RampartJwtBearerEvents(options, time, ring, jwks, version, algorithms);
    }
}
