using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rampart.Hosting;
using Rampart.Tests.Infrastructure;
using Xunit;

namespace Rampart.Tests.Unit;

public sealed class RampartOptionsTests
{
    [Fact]
    public void Defaults_are_valid_and_safe()
    {
        var options = new RampartOptions();

        options.Validate();
        Assert.Equal(1024 * 1024, options.MaxRequestBodyBytes);
        Assert.Equal(32, options.MaxJsonDepth);
        Assert.Equal(4096, options.DefaultMaxStringLength);
        Assert.Equal(1000, options.DefaultMaxCollectionLength);
    }

    public static TheoryData<string, long> Invalid => new()
    {
        { "MaxRequestBodyBytes", 0 },
        { "MaxRequestBodyBytes", -1 },
        { "MaxRequestBodyBytes", (long)int.MaxValue + 1 },
        { "MaxJsonDepth", 0 },
        { "MaxJsonDepth", -5 },
        { "MaxJsonDepth", 257 },
        { "DefaultMaxStringLength", 0 },
        { "DefaultMaxStringLength", int.MinValue },
        { "DefaultMaxCollectionLength", 0 },
        { "DefaultMaxCollectionLength", -1 },
    };

    private static RampartOptions With(string name, long value)
    {
        var options = new RampartOptions();
        switch (name)
        {
            case "MaxRequestBodyBytes": options.MaxRequestBodyBytes = value; break;
            case "MaxJsonDepth": options.MaxJsonDepth = (int)value; break;
            case "DefaultMaxStringLength": options.DefaultMaxStringLength = (int)value; break;
            case "DefaultMaxCollectionLength": options.DefaultMaxCollectionLength = (int)value; break;
            default: throw new ArgumentOutOfRangeException(nameof(name));
        }

        return options;
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Unsafe_values_throw_naming_the_setting(string name, long value)
    {
        var ex = Assert.Throws<InvalidOperationException>(() => With(name, value).Validate());

        Assert.Contains("Rampart:" + name, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxRequestBodyBytes", 1)]
    [InlineData("MaxRequestBodyBytes", int.MaxValue)]
    [InlineData("MaxJsonDepth", 1)]
    [InlineData("MaxJsonDepth", 256)]
    [InlineData("DefaultMaxStringLength", 1)]
    [InlineData("DefaultMaxCollectionLength", 1)]
    public void Boundary_values_are_accepted(string name, long value) => With(name, value).Validate();

    [Fact]
    public void Runtime_validates_and_copies_the_options()
    {
        var runtime = new RampartRuntime(new RampartOptions { MaxJsonDepth = 3, MaxRequestBodyBytes = 77, DefaultMaxStringLength = 5, DefaultMaxCollectionLength = 6 });

        Assert.Equal(77, runtime.MaxRequestBodyBytes);
        Assert.Equal(3, runtime.Json.MaxDepth);
        Assert.Equal(3, runtime.Json.ReaderOptions.MaxDepth);
        Assert.Equal(5, runtime.Json.MaxStringLength);
        Assert.Equal(6, runtime.Json.MaxCollectionLength);
        Assert.Throws<InvalidOperationException>(() => new RampartRuntime(new RampartOptions { MaxJsonDepth = 0 }));
        Assert.Throws<ArgumentNullException>(() => new RampartRuntime(null!));
    }
}

public sealed class AddRampartConfigurationTests
{
    private static WebApplication Build(IDictionary<string, string?> configuration, Action<RampartOptions>? configure = null)
    {
        var builder = TestApp.CreateBuilder(configuration, out _);
        builder.AddRampart(configure);
        return builder.Build();
    }

    [Fact]
    public async Task Values_are_read_from_the_Rampart_section()
    {
        await using var app = Build(new Dictionary<string, string?>
        {
            ["Rampart:MaxRequestBodyBytes"] = "2048",
            ["Rampart:MaxJsonDepth"] = "5",
            ["Rampart:DefaultMaxStringLength"] = "100",
            ["Rampart:DefaultMaxCollectionLength"] = "7",
        });

        var runtime = app.Services.GetRequiredService<RampartRuntime>();

        Assert.Equal(2048, runtime.MaxRequestBodyBytes);
        Assert.Equal(5, runtime.Json.MaxDepth);
        Assert.Equal(100, runtime.Json.MaxStringLength);
        Assert.Equal(7, runtime.Json.MaxCollectionLength);
    }

    [Fact]
    public async Task Authorization_claim_names_and_the_fallback_switch_are_read_from_the_section()
    {
        await using var app = Build(new Dictionary<string, string?>
        {
            ["Rampart:Authorization:ScopeClaim"] = "scp",
            ["Rampart:Authorization:PermissionsClaim"] = "perms",
            ["Rampart:Authorization:RequireAuthenticatedUserByDefault"] = "false",
        });

        var runtime = app.Services.GetRequiredService<RampartRuntime>();

        Assert.Equal("scp", runtime.Permissions.ScopeClaim);
        Assert.Equal("perms", runtime.Permissions.PermissionsClaim);
        Assert.False(runtime.Options.Authorization.RequireAuthenticatedUserByDefault);
        Assert.Null(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Authorization.AuthorizationOptions>>().Value.FallbackPolicy);
    }

    [Fact]
    public async Task The_fallback_policy_is_set_by_default_and_an_application_policy_is_kept()
    {
        await using var defaults = Build(new Dictionary<string, string?>());
        Assert.Same(Rampart.Authorization.AuthenticatedOutsideRampartRequirement.Policy,
            defaults.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Authorization.AuthorizationOptions>>().Value.FallbackPolicy);

        var own = new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireClaim("tenant").Build();
        var builder = TestApp.CreateBuilder(new Dictionary<string, string?>(), out _);
        builder.Services.AddAuthorization(o => o.FallbackPolicy = own);
        builder.AddRampart();
        await using var app = builder.Build();
        Assert.Same(own, app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Authorization.AuthorizationOptions>>().Value.FallbackPolicy);
    }

    [Fact]
    public async Task Unusable_authorization_settings_fail_at_start_up()
    {
        // A value the binder cannot convert: its InvalidOperationException names the key.
        var conversion = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var app = Build(new Dictionary<string, string?> { ["Rampart:Authorization:RequireAuthenticatedUserByDefault"] = "maybe" });
            _ = app.Services.GetRequiredService<RampartRuntime>();
        });
        Assert.Contains("Rampart:Authorization:RequireAuthenticatedUserByDefault", conversion.Message, StringComparison.Ordinal);
        Assert.Contains("true or false", conversion.Message, StringComparison.Ordinal);

        // A converted value the validator refuses: ASP.NET Core's OptionsValidationException, same message as before.
        var validation = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = Build(new Dictionary<string, string?> { ["Rampart:Authorization:ScopeClaim"] = "" });
            _ = app.Services.GetRequiredService<RampartRuntime>();
        });
        Assert.Contains("Rampart:Authorization:ScopeClaim and PermissionsClaim must be non-empty claim types.", validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Code_configuration_runs_after_the_section_and_wins()
    {
        await using var app = Build(new Dictionary<string, string?> { ["Rampart:MaxJsonDepth"] = "5", ["Rampart:DefaultMaxStringLength"] = "100" }, o => o.MaxJsonDepth = 9);

        var runtime = app.Services.GetRequiredService<RampartRuntime>();

        Assert.Equal(9, runtime.Json.MaxDepth);
        Assert.Equal(100, runtime.Json.MaxStringLength);
    }

    [Fact]
    public async Task Absent_section_gives_defaults()
    {
        await using var app = Build(new Dictionary<string, string?>());

        var runtime = app.Services.GetRequiredService<RampartRuntime>();

        Assert.Equal(RampartOptions.DefaultMaxRequestBodyBytes, runtime.MaxRequestBodyBytes);
        Assert.Equal(RampartOptions.DefaultMaxJsonDepth, runtime.Json.MaxDepth);
    }

    [Theory]
    [InlineData("MaxJsonDepth", "abc")]
    [InlineData("MaxJsonDepth", "1.5")]
    [InlineData("MaxJsonDepth", "99999999999")]
    [InlineData("MaxRequestBodyBytes", "1MB")]
    [InlineData("DefaultMaxStringLength", "0x10")]
    [InlineData("RequestTimeoutSeconds", "30s")]
    [InlineData("RequireHttps", "yes")]
    public async Task Unconvertible_configuration_fails_at_start_up_with_a_message_naming_the_key(string key, string value)
    {
        await using var app = Build(new Dictionary<string, string?> { ["Rampart:" + key] = value });

        var ex = Assert.Throws<InvalidOperationException>(() => app.UseRampart());

        Assert.Contains("Rampart:" + key, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MaxJsonDepth", "0")]
    [InlineData("MaxJsonDepth", "257")]
    [InlineData("MaxJsonDepth", "-1")]
    [InlineData("MaxRequestBodyBytes", "0")]
    [InlineData("MaxRequestBodyBytes", "2147483648")]
    [InlineData("DefaultMaxStringLength", "-4")]
    [InlineData("DefaultMaxCollectionLength", "0")]
    [InlineData("RequestTimeoutSeconds", "0")]
    [InlineData("RequestTimeoutSeconds", "3601")]
    [InlineData("DefaultRateLimit", "10/fortnight")]
    [InlineData("FailedAuthenticationLimit", "many")]
    public async Task Invalid_configuration_fails_at_start_up_with_a_message_naming_the_key(string key, string value)
    {
        await using var app = Build(new Dictionary<string, string?> { ["Rampart:" + key] = value });

        var ex = Assert.Throws<OptionsValidationException>(() => app.UseRampart());

        Assert.Contains("Rampart:" + key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_configuration_stops_the_host_before_any_request()
    {
        await using var app = Build(new Dictionary<string, string?> { ["Rampart:MaxJsonDepth"] = "0", ["Rampart:DefaultMaxStringLength"] = "0" });

        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        // Every failure at once, not only the first.
        Assert.Contains("Rampart:MaxJsonDepth must be between 1 and 256.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Rampart:DefaultMaxStringLength must be at least 1.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_numbers_and_switches_keep_their_defaults_and_empty_text_is_a_value()
    {
        // The configuration binder's rule (Rampart:Data followed it already): an empty number or switch is unset.
        // Every default is the safe value, so an empty one cannot weaken anything.
        await using var app = Build(new Dictionary<string, string?>
        {
            ["Rampart:MaxJsonDepth"] = "",
            ["Rampart:RequestTimeoutSeconds"] = "",
            ["Rampart:RequireHttps"] = "",
            ["Rampart:Authorization:RequireAuthenticatedUserByDefault"] = "",
            ["Rampart:DefaultRateLimit"] = "",
        });

        var runtime = app.Services.GetRequiredService<RampartRuntime>();

        Assert.Equal(RampartOptions.DefaultMaxJsonDepth, runtime.Json.MaxDepth);
        Assert.Equal(TimeSpan.FromSeconds(30), runtime.Options.RequestTimeout);
        Assert.Null(runtime.Options.RequireHttps);
        Assert.True(runtime.Options.Authorization.RequireAuthenticatedUserByDefault);
        Assert.Null(runtime.DefaultRateLimit);   // empty text is a value: the default limit turned off
    }

    [Fact]
    public async Task Every_key_of_the_section_is_read()
    {
        await using var app = Build(new Dictionary<string, string?>
        {
            ["Rampart:RequestTimeoutSeconds"] = "12",
            ["Rampart:DefaultRateLimit"] = "5/second; 50/minute",
            ["Rampart:FailedAuthenticationLimit"] = "7/minute",
            ["Rampart:RequireHttps"] = "false",
            // Not keys of the section: ignored, as before.
            ["Rampart:RequestTimeout"] = "00:00:01",
            ["Rampart:Unknown"] = "x",
        });

        var runtime = app.Services.GetRequiredService<RampartRuntime>();

        Assert.Equal(TimeSpan.FromSeconds(12), runtime.Options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(12), app.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Timeouts.RequestTimeoutOptions>>().Value.DefaultPolicy!.Timeout);
        Assert.Equal([new(5, TimeSpan.FromSeconds(1)), new(50, TimeSpan.FromMinutes(1))], runtime.DefaultRateLimit!.Rules);
        Assert.Equal("7/minute", runtime.Options.FailedAuthenticationLimit);
        Assert.False(runtime.Options.RequireHttps);
    }

    [Theory]
    [InlineData("MaxJsonDepth", "-4294967264")]                 // wraps to 32 when cast to int
    [InlineData("DefaultMaxStringLength", "-4294963200")]       // wraps to 4096
    [InlineData("DefaultMaxCollectionLength", "-9223372036854774808")] // wraps to 1000
    public async Task Negative_values_below_int_range_fail_at_start_up_instead_of_wrapping(string key, string value)
    {
        await using var app = Build(new Dictionary<string, string?> { ["Rampart:" + key] = value });

        var ex = Assert.Throws<InvalidOperationException>(() => app.UseRampart());

        Assert.Contains("Rampart:" + key, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsafe_options_set_in_code_fail_at_start_up_too()
    {
        await using var app = Build(new Dictionary<string, string?>(), o => o.MaxJsonDepth = 0);

        var ex = Assert.Throws<OptionsValidationException>(() => app.UseRampart());

        Assert.Contains("Rampart:MaxJsonDepth", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mapping_endpoints_with_unsafe_options_fails_even_without_UseRampart()
    {
        await using var app = Build(new Dictionary<string, string?> { ["Rampart:DefaultMaxCollectionLength"] = "0" });

        var ex = Assert.Throws<OptionsValidationException>(() => app.MapRampartEndpoints());

        Assert.Contains("Rampart:DefaultMaxCollectionLength", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Runtime_without_AddRampart_uses_the_defaults()
    {
        using var services = new ServiceCollection().BuildServiceProvider();

        var runtime = RampartRuntime.From(services);

        Assert.Equal(RampartOptions.DefaultMaxRequestBodyBytes, runtime.MaxRequestBodyBytes);
        Assert.Equal(RampartOptions.DefaultMaxJsonDepth, runtime.Json.MaxDepth);
        Assert.Equal(RampartOptions.DefaultMaxStringLengthValue, runtime.Json.MaxStringLength);
        Assert.Equal(RampartOptions.DefaultMaxCollectionLengthValue, runtime.Json.MaxCollectionLength);
    }

    [Fact]
    public void Service_collection_overload_registers_one_runtime_from_the_options()
    {
        using var services = new ServiceCollection().AddRampart(o => o.DefaultMaxStringLength = 12).BuildServiceProvider();

        var runtime = services.GetRequiredService<RampartRuntime>();

        Assert.Same(runtime, RampartRuntime.From(services));
        Assert.Equal(12, runtime.Json.MaxStringLength);
    }

    [Fact]
    public async Task Configured_body_limit_is_enforced_over_http()
    {
        var builder = TestApp.CreateBuilder(new Dictionary<string, string?> { ["Rampart:MaxRequestBodyBytes"] = "300" }, out _);
        builder.AddRampart();
        await using var app = builder.Build();
        app.UseRampart();
        app.MapRampartEndpoints();
        await app.StartAsync();
        using var client = TestApp.CreateClient(app);
        string body = Bodies.Scalars();
        string padded = body.TrimEnd('}') + new string(' ', 301 - body.Length) + "}";

        var ok = await client.PostJsonAsync("/sink/scalars", body);
        var tooLarge = await client.PostJsonAsync("/sink/scalars", padded);

        Assert.Equal(301, Encoding.UTF8.GetByteCount(padded));
        Assert.True(ok.Status == 200, ok.ToString());
        ProblemAssert.Problem(tooLarge, 413);
        await app.StopAsync();
    }

    [Fact]
    public async Task Configured_depth_is_enforced_over_http()
    {
        var builder = TestApp.CreateBuilder(new Dictionary<string, string?> { ["Rampart:MaxJsonDepth"] = "3" }, out _);
        builder.AddRampart();
        await using var app = builder.Build();
        app.UseRampart();
        app.MapRampartEndpoints();
        await app.StartAsync();
        using var client = TestApp.CreateClient(app);

        var ok = await client.PostJsonAsync("/sink/tree", Bodies.Tree(3));
        var tooDeep = await client.PostJsonAsync("/sink/tree", Bodies.Tree(4));

        Assert.True(ok.Status == 200, ok.ToString());
        ProblemAssert.Problem(tooDeep, 400, "$", Rampart.Binding.BindingMessages.TooDeep);
        await app.StopAsync();
    }
}
