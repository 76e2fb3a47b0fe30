using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Rampart.Generator.Tests.Infrastructure;
using Xunit;

namespace Rampart.Generator.Tests;

/// <summary>
/// Secret-looking member names, through the generator: each one must both raise RAMP0022 and be
/// redacted by the generated request-log writer (one classification drives both), and each
/// neighbour that shares letters with a secret word but is another word must do neither.
/// The names are spread over a few contracts (names equal but for case would share a JSON name),
/// compiled once.
/// </summary>
public sealed class SecretNameTests(SecretNameTests.Fixture fixture) : IClassFixture<SecretNameTests.Fixture>
{
    /// <summary>Secret words as whole member names and embedded in longer ones, in every casing style.</summary>
    public static readonly string[] Secrets =
    {
        // Whole names.
        "Password", "Pwd", "Passwd", "Passphrase", "Secret", "Token", "ApiKey", "AccessKey", "PrivateKey",
        "ClientSecret", "Credentials", "Authorization", "Ssn", "SSN", "Pin", "PIN", "Cvv", "CVV", "Cvc", "Otp", "OTP",
        "Totp", "TOTP", "Hotp", "Iban", "IBAN", "Jwt", "JWT", "MfaCode", "MFACode", "SessionId", "SessionID", "Cookie",
        "Cookies", "CardNumber", "SecurityCode", "Passcode", "VerificationCode", "ResetCode", "SocialSecurityNumber",
        "SecurityAnswer", "SeedPhrase", "Mnemonic", "PrivKey", "ClientAssertion",

        // Embedded, camel/Pascal case, acronym runs, snake case, digits, plurals.
        "CustomerSsn", "userSSN", "SSNLast4", "ssn_last4", "SSN_LAST4", "CardCvv", "Cvv2", "OtpCode", "OTPs", "IBANNumber",
        "AccountIban", "iban_number", "UserPin", "PINs", "pin_code", "NewPwd", "AwsAccessKeyId", "access_key", "RsaPrivateKey",
        "OAuthClientSecret", "TotpSecret", "totp_seed", "UserMfaCode", "mfa_code", "UserSessionId", "session_id", "sessionid",
        "IdJwt", "JwtAssertion", "SetCookie", "SessionCookie", "RefreshToken", "api_key", "newpassword", "PinCode",
        "DevicePasscode", "newpasscode", "email_verification_code", "PasswordResetCode", "CustomerSocialSecurityNumber",
        "social_security_number", "SecurityAnswers", "WalletSeedPhrase", "seed_phrase", "WalletMnemonic", "RsaPrivKey",
        "client_assertion",
    };

    /// <summary>Names that share letters with a secret word but are other words.</summary>
    public static readonly string[] Neighbours =
    {
        "Pinned", "Spinner", "Opinion", "Happiness", "Shipping", "Pinyin", "Topic", "Topology", "Cookbook", "Session",
        "SessionTitle", "Lessons", "Possession", "Key", "KeyboardLayout", "AccessLevel", "PrivateNote", "ClientName",
        "MfaEnabled", "Ibis", "Jewelry", "Spin", "Description", "ProductId", "Quantity", "Assessment", "BusinessName",
        "businessname", "Hotpot", "Footprint", "Passage", "Passenger", "ResetCount", "VerificationStatus", "SocialMedia",
        "SecurityLevel", "AnswerCount", "SeedCount", "Phrase", "Privilege", "PrivacyPolicy", "Assertion", "ClientAddress",
    };

    /// <summary>A member whose C# name is innocent but whose JSON name is a secret one.</summary>
    private const string JsonRenamed = "Key2";

    public sealed class Fixture
    {
        public Fixture()
        {
            // Each contract gets names that differ from its others in more than case.
            var contracts = new List<List<string>>();
            foreach (string name in Secrets.Concat(Neighbours).Append(JsonRenamed))
            {
                var home = contracts.FirstOrDefault(c => !c.Contains(name, StringComparer.OrdinalIgnoreCase));
                if (home is null)
                {
                    contracts.Add(home = new List<string>());
                }

                home.Add(name);
            }

            var sb = new StringBuilder("""
                using System.ComponentModel.DataAnnotations;
                using System.Text.Json.Serialization;
                using Microsoft.AspNetCore.Http;
                using Microsoft.AspNetCore.Http.HttpResults;
                using Rampart;

                namespace Names;

                """);
            for (int i = 0; i < contracts.Count; i++)
            {
                sb.Append($"[SecureEndpoint(\"POST\", \"/names/{i}\", Permission = \"names:write\")]\npublic sealed partial record Everything{i}\n{{\n");
                foreach (string name in contracts[i])
                {
                    string json = name == JsonRenamed ? ", JsonPropertyName(\"x-api-key\")" : string.Empty;
                    sb.Append($"    [MaxLength(64){json}] public string? {name} {{ get; init; }}\n");
                }

                sb.Append($"    static NoContent Handle(Everything{i} request) => TypedResults.NoContent();\n}}\n\n");
            }

            var output = TestCompiler.Run(new SourceFile("Names.cs", sb.ToString())).AssertCompiles();
            Diagnosed = output.GeneratorDiagnostics
                .Where(d => d.Id == "RAMP0022")
                .Select(d => d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan))
                .ToHashSet(StringComparer.Ordinal);
            Unexpected = output.GeneratorDiagnostics.Where(d => d.Id != "RAMP0022").Select(GeneratorOutput.Describe).ToArray();
            Redacted = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < contracts.Count; i++)
            {
                string code = output.Source($"Names.Everything{i}.g.cs").Text;
                int log = code.IndexOf("internal static void WriteLog_", StringComparison.Ordinal);
                Assert.True(log >= 0, "no request-log writer generated");
                Redacted.UnionWith(Regex.Matches(code[log..], @"value\.(\w+) is \{ \} \w+ \? redaction\.").Select(m => m.Groups[1].Value));
            }
        }

        /// <summary>Members RAMP0022 was reported on.</summary>
        public HashSet<string> Diagnosed { get; }

        /// <summary>Members the request-log writer passes through a redactor.</summary>
        public HashSet<string> Redacted { get; }

        public string[] Unexpected { get; }
    }

    public static TheoryData<string> SecretNames => new(Secrets);

    public static TheoryData<string> NeighbourNames => new(Neighbours);

    [Theory]
    [MemberData(nameof(SecretNames))]
    public void Secret_name_is_diagnosed_and_redacted(string name)
    {
        Assert.Empty(fixture.Unexpected);
        Assert.True(fixture.Diagnosed.Contains(name), $"{name}: no RAMP0022");
        Assert.True(fixture.Redacted.Contains(name), $"{name}: logged as is");
    }

    [Theory]
    [MemberData(nameof(NeighbourNames))]
    public void Neighbour_is_neither_diagnosed_nor_redacted(string name)
    {
        Assert.False(fixture.Diagnosed.Contains(name), $"{name}: RAMP0022 reported");
        Assert.False(fixture.Redacted.Contains(name), $"{name}: redacted");
    }

    [Fact]
    public void A_secret_json_name_counts_as_well_as_the_member_name()
    {
        Assert.Contains(JsonRenamed, fixture.Diagnosed);
        Assert.Contains(JsonRenamed, fixture.Redacted);
    }

    [Fact]
    public void Diagnostic_and_redaction_agree_on_every_member() =>
        Assert.Equal(fixture.Diagnosed.Order(), fixture.Redacted.Order());

    [Theory]
    [InlineData("SSN", "ssn")]
    [InlineData("userSSN", "user ssn")]
    [InlineData("SSNLast4", "ssn last 4")]
    [InlineData("ssn_last4", "ssn last 4")]
    [InlineData("SSN_LAST4", "ssn last 4")]
    [InlineData("IBANNumber", "iban number")]
    [InlineData("x-api-key", "x api key")]
    [InlineData("MFACode", "mfa code")]
    [InlineData("PINs", "pins")]
    [InlineData("OTPSecret", "otp secret")]
    [InlineData("SessionID", "session id")]
    [InlineData("AwsAccessKeyId", "aws access key id")]
    [InlineData("OAuthClientSecret", "o auth client secret")]
    [InlineData("Cvv2", "cvv 2")]
    [InlineData("Base64Token", "base 64 token")]
    [InlineData("@event", "event")]
    [InlineData("Opinion", "opinion")]
    [InlineData("SocialSecurityNumber", "social security number")]
    [InlineData("PrivKey", "priv key")]
    public void Names_split_into_words(string name, string words) =>
        Assert.Equal(words, string.Join(' ', Rampart.Generator.Parsing.SecretNames.Words(name)));
}
