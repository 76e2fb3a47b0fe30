using Microsoft.AspNetCore.Builder;

namespace Rampart.Headers;

/// <summary>
/// The response headers Rampart sends on every response of a JSON API, following the OWASP Secure
/// Headers project. Applied by <c>UseRampart()</c> through NetEscapades.AspNetCore.SecurityHeaders;
/// customise them with <see cref="Hosting.RampartOptions.SecurityHeaders"/>.
/// </summary>
public static class RampartSecurityHeaders
{
    /// <summary>The default policy for a JSON API.</summary>
    public static HeaderPolicyCollection CreateDefault()
    {
        var policies = new HeaderPolicyCollection()
            .AddContentTypeOptionsNoSniff()
            .AddFrameOptionsDeny()
            // An API serves no documents: nothing may load, nothing may frame it.
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().None();
                csp.AddFrameAncestors().None();
            })
            .AddReferrerPolicyNoReferrer()
            .AddCrossOriginResourcePolicy(corp => corp.SameOrigin())
            .AddPermissionsPolicy(pp =>
            {
                pp.AddAccelerometer().None();
                pp.AddCamera().None();
                pp.AddGeolocation().None();
                pp.AddGyroscope().None();
                pp.AddMagnetometer().None();
                pp.AddMicrophone().None();
                pp.AddPayment().None();
                pp.AddUsb().None();
            })
            // Responses carry per-caller data; no cache may keep them.
            .AddCustomHeader("Cache-Control", "no-store")
            // "0" disables the legacy XSS auditor, whose "1; mode=block" could itself be abused.
            .AddCustomHeader("X-XSS-Protection", "0")
            // Only sent over HTTPS, as RFC 6797 requires.
            .AddStrictTransportSecurityMaxAgeIncludeSubDomains(maxAgeInSeconds: 31536000)
            .RemoveServerHeader();
        return policies;
    }
}
