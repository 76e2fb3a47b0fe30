using Xunit;

namespace Rampart.Data.Tests;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("Host=db;Username=app;Password=s3cr3t!;Database=orders", "s3cr3t!")]
    [InlineData("connection failed: Server=db; PWD = 'hunter 2'; Timeout=5", "hunter 2")]
    [InlineData("password=\"quoted;secret\" host=db", "quoted;secret")]
    public void ConnectionStringSecretsAreRedacted(string text, string secret)
    {
        string redacted = DatabaseFailure.Redact(text);
        Assert.DoesNotContain(secret, redacted, System.StringComparison.Ordinal);
        Assert.Contains("***", redacted, System.StringComparison.Ordinal);
    }

    [Fact]
    public void TextWithoutSecretsIsUnchanged() =>
        Assert.Equal("relation \"notes\" does not exist", DatabaseFailure.Redact("relation \"notes\" does not exist"));
}
