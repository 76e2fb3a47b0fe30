using Rampart.Generator.Parsing;
using Xunit;

namespace Rampart.Generator.Tests.Review;

/// <summary>Review evidence (not a fix): common secret-bearing member names the heuristic does not flag.</summary>
public sealed class SecretNameEvidence
{
    [Theory]
    [InlineData("Passcode")]
    [InlineData("VerificationCode")]
    [InlineData("ResetCode")]
    [InlineData("SocialSecurityNumber")]
    [InlineData("SecurityAnswer")]
    [InlineData("SeedPhrase")]
    [InlineData("Mnemonic")]
    [InlineData("PrivKey")]
    [InlineData("ClientAssertion")]
    public void LooksSecret(string name) => Assert.True(SecretNames.LooksSecret(name), name + " is not flagged");
}
