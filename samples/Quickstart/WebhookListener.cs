using System.Collections.Concurrent;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Quickstart;

/// <summary>
/// A small Kestrel app on loopback that receives ElevenLabs' post-call webhooks with <c>MapConvAiWebhooks</c>: the
/// add-on verifies the <c>ElevenLabs-Signature</c> header before <see cref="QuickstartWebhookHandler"/> sees an event.
/// </summary>
internal sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookListener(WebApplication app, PostCallInbox inbox, Uri url)
    {
        _app = app;
        Inbox = inbox;
        Url = url;
    }

    /// <summary>The events received so far, by conversation id.</summary>
    public PostCallInbox Inbox { get; }

    /// <summary>The local URL of the webhook endpoint.</summary>
    public Uri Url { get; }

    /// <summary>Cancelled when the listener stops, e.g. on Ctrl+C or SIGTERM, which its host handles.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>
    /// Starts the listener on <paramref name="listenUrl"/>. The webhook secret comes from <c>WEBHOOK_SECRET</c> or
    /// <c>ConvAi:Webhooks:Secret</c>, unless <paramref name="secret"/> is given (the emulator's).
    /// </summary>
    public static async Task<WebhookListener> StartAsync(string listenUrl, string? secret, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(listenUrl);
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        if (secret is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("ConvAi:Webhooks:Secret", secret)]);
        }

        var inbox = new PostCallInbox();
        builder.Services.AddSingleton(inbox);
        builder.Services.AddConvAiWebhooks<QuickstartWebhookHandler>(); // ConvAi:Webhooks section, WEBHOOK_SECRET fallback

        var app = builder.Build();
        app.MapConvAiWebhooks(QuickstartSettings.WebhookPath);
        await app.StartAsync(cancellationToken);

        var address = new Uri(app.Urls.First());
        return new WebhookListener(app, inbox, new Uri(address, QuickstartSettings.WebhookPath));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Called by the webhook endpoint for each verified, de-duplicated event.</summary>
internal sealed class QuickstartWebhookHandler(PostCallInbox inbox) : ConvAiWebhookHandler
{
    public override Task OnPostCallTranscriptionAsync(PostCallTranscriptionEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        inbox.Get(webhookEvent.Data.ConversationId).TrySetResult(webhookEvent.Data);
        return Task.CompletedTask;
    }

    public override Task OnCallInitiationFailureAsync(CallInitiationFailureEvent webhookEvent, CancellationToken cancellationToken = default)
    {
        if (webhookEvent.ConversationId is { } conversationId)
        {
            inbox.Get(conversationId).TrySetException(new QuickstartException(
                $"The call did not connect: ElevenLabs reported call_initiation_failure ({webhookEvent.Data.FailureReason?.ToString() ?? "no reason given"})."));
        }

        return Task.CompletedTask;
    }
}

/// <summary>Hands each conversation's outcome from the webhook endpoint to the code waiting for it, whichever comes first.</summary>
internal sealed class PostCallInbox
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<Conversation>> _outcomes = new(StringComparer.Ordinal);

    public TaskCompletionSource<Conversation> Get(string conversationId) =>
        _outcomes.GetOrAdd(conversationId, _ => new TaskCompletionSource<Conversation>(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Waits for the conversation's <c>post_call_transcription</c> (or its <c>call_initiation_failure</c>).</summary>
    public async Task<Conversation> WaitAsync(string conversationId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            return await Get(conversationId).Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new QuickstartException($"No post-call webhook for {conversationId} arrived within {timeout.TotalSeconds:0} s.");
        }
    }
}
