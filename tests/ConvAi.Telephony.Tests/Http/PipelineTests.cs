using ConvAi.Telephony.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.Tests.Http;

public class PipelineTests
{
    [Test]
    public void NamedClient_Handlers_AreConfiguredOnceInOrder()
    {
        using var fixture = new ClientFixture();
        var factory = fixture.Services.GetRequiredService<IHttpMessageHandlerFactory>();

        var chain = new List<Type>();
        for (HttpMessageHandler? handler = factory.CreateHandler("ConvAi.Telephony"); handler is not null; handler = (handler as DelegatingHandler)?.InnerHandler)
        {
            chain.Add(handler.GetType());
        }

        var ours = chain.Where(t => t == typeof(ApiErrorHandler) || t == typeof(ApiKeyHandler)).ToList();
        Assert.That(ours, Is.EqualTo(new[] { typeof(ApiErrorHandler), typeof(ApiKeyHandler) }));
        Assert.That(chain[^1], Is.EqualTo(typeof(RichardSzalay.MockHttp.MockHttpMessageHandler)));
    }
}
