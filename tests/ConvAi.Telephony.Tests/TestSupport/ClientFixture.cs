using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.TestSupport;

/// <summary>
/// Builds the real DI container with <c>AddConvAiTelephony</c> and swaps only the primary handler for
/// MockHttp, so auth, error mapping and serialization run as in production. Retries are off by default here
/// (each test maps one answer); the resilience pipeline has its own tests in <c>Resilience/</c>.
/// </summary>
internal sealed class ClientFixture : IDisposable
{
    public const string ApiKey = "sk_test_0123456789abcdef";
    public const string BaseUrl = "https://api.elevenlabs.io";
    public const string AgentId = "agent_default";
    public const string PhoneNumberId = "phnum_default";

    public ClientFixture(Action<ConvAiTelephonyOptions>? configure = null, Action<IConvAiTelephonyBuilder>? configureBuilder = null, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        var builder = services.AddConvAiTelephony(o =>
        {
            o.ApiKey = ApiKey;
            o.Resilience.MaxRetryAttempts = 0;
            configure?.Invoke(o);
        });
        builder.HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => Mock);
        configureBuilder?.Invoke(builder);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public MockHttpMessageHandler Mock { get; } = new();

    public FakeTimeProvider Time { get; }

    public ServiceProvider Services { get; }

    public IConvAiTelephonyClient Client => Services.GetRequiredService<IConvAiTelephonyClient>();

    public static string Url(string path) => BaseUrl + path;

    /// <summary>Sets the default agent and phone number, as the call-placing tests need.</summary>
    public static void SetCallDefaults(ConvAiTelephonyOptions options)
    {
        options.DefaultAgentId = AgentId;
        options.DefaultPhoneNumberId = PhoneNumberId;
    }

    public void Dispose()
    {
        Services.Dispose();
        Mock.Dispose();
    }
}

/// <summary>What a mocked request received, for assertions after the call.</summary>
internal sealed class CapturedRequest
{
    public HttpRequestMessage? Request { get; private set; }

    public string? Body { get; private set; }

    public int Count { get; private set; }

    public bool Record(HttpRequestMessage request)
    {
        Request = request;
        Body = request.Content?.ReadAsStringAsync().GetAwaiter().GetResult();
        Count++;
        return true;
    }

    public string? Header(string name)
        => Request!.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public void AssertJsonBody(string expectedJson)
    {
        Assert.That(Body, Is.Not.Null, "The request had no body.");
        var actual = JsonNode.Parse(Body!);
        var expected = JsonNode.Parse(expectedJson);
        Assert.That(JsonNode.DeepEquals(actual, expected), Is.True, $"Body differs.\nExpected: {expected?.ToJsonString()}\nActual:   {actual?.ToJsonString()}");
    }
}

internal static class MockExtensions
{
    public static MockedRequest Capturing(this MockedRequest request, CapturedRequest captured) => request.With(captured.Record);

    public static void RespondJson(this MockedRequest request, string json, HttpStatusCode status = HttpStatusCode.OK)
        => request.Respond(status, "application/json", json);

    public static void RespondResource(this MockedRequest request, string resource, HttpStatusCode status = HttpStatusCode.OK)
        => request.Respond(status, "application/json", Resources.Read(resource));
}

internal static class Resources
{
    public static string Read(string relativePath) => ReadStatic(relativePath);

    /// <summary>Reads a fixture relative to the test assembly (usable from test-case sources, before a test runs).</summary>
    public static string ReadStatic(string relativePath)
        => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Resources", relativePath), Encoding.UTF8);
}
