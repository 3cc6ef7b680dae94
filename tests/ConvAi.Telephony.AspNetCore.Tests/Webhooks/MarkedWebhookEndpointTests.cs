using System.Net;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ConvAi.Telephony.AspNetCore.Tests.Webhooks;

/// <summary>A marked endpoint fails closed: what the app forgot is a start-up error, never an endpoint that answers unsigned requests.</summary>
public class MarkedWebhookEndpointTests
{
    private static WebApplication Build(Dictionary<string, string?> settings, Action<IServiceCollection>? register = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddSingleton<WebhookRecorder>();
        register?.Invoke(builder.Services);
        return builder.Build();
    }

    private static Task Reached(HttpContext context)
    {
        context.RequestServices.GetRequiredService<WebhookRecorder>().Enter();
        return Task.CompletedTask;
    }

    [Test]
    public async Task RequireConvAiWebhookSignature_NoAddConvAiWebhooks_FailsClosedNamingTheFix()
    {
        await using var app = Build([]);
        app.MapPost("/hooks", (RequestDelegate)Reached).RequireConvAiWebhookSignature();

        // Nothing of the library is registered, so nothing can run at start-up: building the endpoint fails instead,
        // at the latest on the first request, which the app then cannot answer with the endpoint.
        InvalidOperationException? startup = null;
        try
        {
            await app.StartAsync();
        }
        catch (InvalidOperationException exception)
        {
            startup = exception;
        }

        if (startup is null)
        {
            var body = WebhookFixtures.Load("post_call_transcription.json");
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new("application/json");
            var exception = Assert.ThrowsAsync<InvalidOperationException>(() => app.GetTestClient().PostAsync("/hooks", content));
            startup = exception;
        }

        Assert.Multiple(() =>
        {
            Assert.That(startup!.Message, Does.Contain("AddConvAiWebhooks"));
            Assert.That(app.Services.GetRequiredService<WebhookRecorder>().Reached, Is.Zero);
        });
    }

    [Test]
    public void RequireConvAiWebhookSignature_NoSecret_StartupFailsNamingTheKeys()
    {
        var app = Build([], services => services.AddConvAiWebhooks());
        app.MapPost("/hooks", (RequestDelegate)Reached).RequireConvAiWebhookSignature();

        var exception = Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

        Assert.That(exception!.Message, Does.Contain("ConvAi:Webhooks:Secret").And.Contain("WEBHOOK_SECRET"));
    }

    [Test]
    public async Task AttributeOnMinimalEndpoint_NeverGivesAnUnverifiedEvent()
    {
        // Minimal APIs run no attribute filters: the attribute verifies nothing there, and reading the event fails.
        await using var app = Build(new() { ["ConvAi:Webhooks:Secret"] = WebhookFixtures.Secret }, services => services.AddConvAiWebhooks());
        app.MapPost("/hooks", [ConvAiWebhook] (HttpContext context) =>
        {
            _ = context.GetConvAiWebhookEvent();
            return Reached(context);
        });
        await app.StartAsync();
        var body = WebhookFixtures.Load("post_call_transcription.json");
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");

        var exception = Assert.ThrowsAsync<InvalidOperationException>(() => app.GetTestClient().PostAsync("/hooks", content));

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Message, Does.Contain("RequireConvAiWebhookSignature"));
            Assert.That(app.Services.GetRequiredService<WebhookRecorder>().Reached, Is.Zero);
        });
    }

    [TestCase(WebhookSurface.MarkedGroup, TestName = "Post_GroupAndEndpointBothMarked_VerifiedAndDispatchedOnce")]
    [TestCase(WebhookSurface.AttributedAction, TestName = "Post_AttributedActionUnderMarkedControllers_VerifiedAndDispatchedOnce")]
    public async Task Post_MarkedTwice_VerifiedOnce(WebhookSurface surface)
    {
        await using var host = await WebhookTestHost.StartAsync(surface, endpoint: endpoint => endpoint.RequireConvAiWebhookSignature());
        var body = WebhookFixtures.Load("post_call_transcription.json");

        var status = await host.PostAsync(body, WebhookFixtures.Sign(body));

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(host.Recorder.Reached, Is.EqualTo(1));
            Assert.That(host.Recorder.Events.Single().ConversationId, Is.EqualTo("abc"));
        });
    }

    private static readonly WebhookSurface[] MarkedSurfaces = Enum.GetValues<WebhookSurface>().Where(s => s != WebhookSurface.Endpoint).ToArray();

    [TestCaseSource(nameof(MarkedSurfaces))]
    public async Task Post_EndpointAnswers5xx_DeliveryKeptAsDeadLetterStatusKept(WebhookSurface surface)
    {
        await using var host = await WebhookTestHost.StartAsync(surface);
        host.Recorder.StatusToAnswer = StatusCodes.Status503ServiceUnavailable;
        var body = WebhookFixtures.Load("post_call_transcription.json");

        var status = await host.PostAsync(body, WebhookFixtures.Sign(body));

        var deadLetter = (await host.Services.GetRequiredService<IConvAiWebhookInbox>().ListDeadLettersAsync()).Single();
        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(deadLetter.Delivery.LastFailure, Is.EqualTo("status 503"));
            Assert.That(deadLetter.Delivery.ConversationId, Is.EqualTo("abc"));
        });
    }
}
