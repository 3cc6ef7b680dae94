using System.Net;
using ConvAi.Telephony.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.Http;

public class LoggingTests
{
    [Test]
    public void ApiError_Logged_WithStableEventIdAndWithoutApiKey()
    {
        var collector = new FakeLogCollector();
        using var mock = new MockHttpMessageHandler();
        mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/conversations/conv_1"))
            .Respond(HttpStatusCode.NotFound, "application/json", """{"detail":{"status":"not_found","message":"No","request_id":"req_9"}}""");
        var services = new ServiceCollection();
        services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(collector));
        services.AddLogging();
        services.AddConvAiTelephony(o => o.ApiKey = ClientFixture.ApiKey).HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => mock);
        using var provider = services.BuildServiceProvider();

        Assert.ThrowsAsync<ConvAiApiException>(() => provider.GetRequiredService<IConvAiTelephonyClient>().Conversations.GetAsync("conv_1"));

        var record = collector.GetSnapshot().Single(r => r.Category == "ConvAi.Telephony");
        Assert.Multiple(() =>
        {
            Assert.That(record.Id.Id, Is.EqualTo(1001));
            Assert.That(record.Level, Is.EqualTo(LogLevel.Warning));
            Assert.That(record.Message, Does.Contain("404").And.Contain("req_9"));
            Assert.That(collector.GetSnapshot().Select(r => r.Message), Has.None.Contain(ClientFixture.ApiKey));
        });
    }
}
