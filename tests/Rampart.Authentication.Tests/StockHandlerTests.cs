using System;
using System.Linq;
using System.Net;
using System.Threading.Tasks;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Rampart.Authentication.Tests;

/// <summary>
/// The acceptance of issue 3: stock settings accept these tokens; Rampart's profile refuses each. The
/// stock half proves the profile's own checks are what stands between them and the handler.
/// </summary>
public sealed class StockHandlerTests
{
    public static TheoryData<string> Gaps => ["non_numeric_exp", "iat_in_the_future", "empty_sub", "missing_sub", "unknown_crit", "duplicated_sub", "duplicated_alg"];

    [Theory]
    [MemberData(nameof(Gaps))]
    public async Task Stock_JsonWebTokenHandler_accepts_it_and_Rampart_refuses_it(string name)
    {
        var ct = TestContext.Current.CancellationToken;
        // The stock handler reads the system clock, so this app's fake clock starts at the real time.
        await using var app = await AuthApp.StartAsync(configuration: null, AuthApp.DefaultKeys, start: DateTimeOffset.UtcNow);
        var attack = AttackCatalogue.All.Single(a => a.Name == name);
        using var request = attack.Request(app);
        string token = request.Headers.Authorization!.Parameter!;

        var stock = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = AuthApp.Issuer,
            ValidAudience = AuthApp.Audience,
            IssuerSigningKey = new ECDsaSecurityKey(AuthApp.EsKey) { KeyId = AuthApp.EsKeyId },
        });
        Assert.True(stock.IsValid, name + ": " + stock.Exception?.GetType().Name);

        using var response = await app.Client.SendAsync(request, ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
