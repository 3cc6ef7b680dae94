using ConvAi.Telephony.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace ConvAi.Telephony.Aspire.Tests;

public class ConvAiTelephonyClientBuilderExtensionsTests
{
    private const string ConnectionName = "convai";

    /// <summary>Which source gives the API key and address, highest first: the connection string, the code callback,
    /// Aspire:ConvAi:Telephony:{name}, Aspire:ConvAi:Telephony, ConvAi:*, then ELEVENLABS_API_KEY (key only).</summary>
    private static readonly object[] PrecedenceCases =
    [
        new object?[] { "only ELEVENLABS_API_KEY", Config(("ELEVENLABS_API_KEY", "env")), null, "env", null },
        new object?[] { "ConvAi:ApiKey over ELEVENLABS_API_KEY", Config(("ELEVENLABS_API_KEY", "env"), ("ConvAi:ApiKey", "convai")), null, "convai", null },
        new object?[] { "ConvAi:BaseAddress alone", Config(("ConvAi:ApiKey", "convai"), ("ConvAi:BaseAddress", "http://convai.test/")), null, "convai", "http://convai.test/" },
        new object?[] { "Aspire section over ConvAi", Config(("ConvAi:ApiKey", "convai"), ("ConvAi:BaseAddress", "http://convai.test/"), ("Aspire:ConvAi:Telephony:ApiKey", "aspire"), ("Aspire:ConvAi:Telephony:Endpoint", "http://aspire.test/")), null, "aspire", "http://aspire.test/" },
        new object?[] { "named Aspire section over the shared one", Config(("Aspire:ConvAi:Telephony:ApiKey", "aspire"), ("Aspire:ConvAi:Telephony:convai:ApiKey", "named")), null, "named", null },
        new object?[] { "code callback over the Aspire sections", Config(("Aspire:ConvAi:Telephony:convai:ApiKey", "named")), "code", "code", null },
        new object?[] { "connection string over everything", Config(("ELEVENLABS_API_KEY", "env"), ("ConvAi:ApiKey", "convai"), ("ConvAi:BaseAddress", "http://convai.test/"), ("Aspire:ConvAi:Telephony:convai:ApiKey", "named"), ("ConnectionStrings:convai", "Endpoint=http://127.0.0.1:5801;ApiKey=connection")), "code", "connection", "http://127.0.0.1:5801/" },
        new object?[] { "connection string without a key keeps ConvAi:ApiKey", Config(("ConvAi:ApiKey", "convai"), ("ConnectionStrings:convai", "Endpoint=http://127.0.0.1:5801")), null, "convai", "http://127.0.0.1:5801/" },
        new object?[] { "connection string without an endpoint keeps ConvAi:BaseAddress", Config(("ConvAi:BaseAddress", "http://convai.test/"), ("ConnectionStrings:convai", "ApiKey=connection")), null, "connection", "http://convai.test/" },
        new object?[] { "connection string keys in any case", Config(("ConnectionStrings:convai", "endpoint=https://api.example.test;APIKEY=connection")), null, "connection", "https://api.example.test/" },
        new object?[] { "another connection's string is ignored", Config(("ConvAi:ApiKey", "convai"), ("ConnectionStrings:other", "Endpoint=http://other.test;ApiKey=other")), null, "convai", null },
    ];

    [TestCaseSource(nameof(PrecedenceCases))]
    public void AddConvAiTelephonyClient_Precedence_ResolvesKeyAndAddress(string scenario, Dictionary<string, string?> configuration, string? codeKey, string expectedKey, string? expectedAddress)
    {
        using var host = Build(configuration, settings =>
        {
            if (codeKey is not null)
            {
                settings.ApiKey = codeKey;
            }
        });

        var options = host.Services.GetRequiredService<IOptions<ConvAiTelephonyOptions>>().Value;

        Assert.Multiple(() =>
        {
            Assert.That(options.ApiKey, Is.EqualTo(expectedKey), scenario);
            Assert.That(options.BaseAddress?.ToString(), Is.EqualTo(expectedAddress), scenario);
        });
    }

    [TestCase("Endpoint=ftp://files.test;ApiKey=k", "Endpoint must be an absolute http or https URL; it is 'ftp://files.test'")]
    [TestCase("Endpoint=/relative;ApiKey=k", "Endpoint must be an absolute http or https URL; it is '/relative'")]
    [TestCase("Endpoint", "malformed")]
    public void AddConvAiTelephonyClient_BadConnectionString_ThrowsFormatExceptionNamingTheProblem(string connectionString, string message)
    {
        var error = Assert.Throws<FormatException>(() => Build(Config(("ConnectionStrings:convai", connectionString))).Dispose());
        Assert.That(error!.Message, Does.Contain(message));
        Assert.That(error.Message, Does.Not.Contain("ApiKey=k"), "the key never shows in the message");
    }

    [TestCase(false, false, false)]
    [TestCase(true, false, false)]
    [TestCase(false, true, false)]
    [TestCase(false, false, true)]
    [TestCase(true, true, true)]
    public void AddConvAiTelephonyClient_Switches_RegisterOnlyWhatIsOn(bool disableHealthChecks, bool disableTracing, bool disableMetrics)
    {
        using var host = Build(Config(
            ("ConnectionStrings:convai", "Endpoint=http://127.0.0.1:5801;ApiKey=k"),
            ("Aspire:ConvAi:Telephony:DisableHealthChecks", disableHealthChecks.ToString()),
            ("Aspire:ConvAi:Telephony:DisableTracing", disableTracing.ToString()),
            ("Aspire:ConvAi:Telephony:DisableMetrics", disableMetrics.ToString())));

        var checks = host.Services.GetService<IOptions<HealthCheckServiceOptions>>()?.Value.Registrations.Select(r => r.Name) ?? [];
        Assert.Multiple(() =>
        {
            Assert.That(checks, disableHealthChecks ? Has.No.Member("ConvAi.Telephony") : Has.Exactly(1).EqualTo("ConvAi.Telephony"));
            Assert.That(host.Services.GetService<TracerProvider>(), disableTracing ? Is.Null : Is.Not.Null);
            Assert.That(host.Services.GetService<MeterProvider>(), disableMetrics ? Is.Null : Is.Not.Null);
        });
    }

    [Test]
    public async Task HealthCheck_AgainstTheEmulator_IsHealthyWithTheKeyAndUnhealthyWithAnother()
    {
        await using var emulator = await ConvAiEmulator.StartNewAsync();
        using var good = Build(Config(("ConnectionStrings:convai", $"Endpoint={emulator.BaseAddress};ApiKey={emulator.ApiKey}")));
        using var bad = Build(Config(("ConnectionStrings:convai", $"Endpoint={emulator.BaseAddress};ApiKey=wrong-key")));

        var healthy = await good.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        var unhealthy = await bad.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.That(healthy.Entries["ConvAi.Telephony"].Status, Is.EqualTo(HealthStatus.Healthy));
        Assert.That(unhealthy.Entries["ConvAi.Telephony"].Status, Is.EqualTo(HealthStatus.Unhealthy));
        Assert.That(unhealthy.Entries["ConvAi.Telephony"].Description, Is.EqualTo("The API answered 401 (invalid_api_key)."));
        Assert.That(emulator.ReceivedRequests.Select(r => (r.Method, r.Path)), Is.All.EqualTo(("GET", "/v1/convai/phone-numbers")));
    }

    private static Dictionary<string, string?> Config(params (string Key, string? Value)[] pairs) => pairs.ToDictionary(p => p.Key, p => p.Value);

    private static IHost Build(Dictionary<string, string?> configuration, Action<ConvAiTelephonySettings>? configureSettings = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddConvAiTelephonyClient(ConnectionName, configureSettings);
        return builder.Build();
    }
}
