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
/// add-on verifies the <c>ElevenLabs-Signature</c> header, then hands each accepted event to the
/// <see cref="CallOutcomeTracker"/> it shares with the client (so <c>WaitForOutcomeAsync</c> completes from it) and
/// to <see cref="QuickstartWebhookHandler"/>.
/// </summary>
internal sealed class WebhookListener : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookListener(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The local URL of the webhook endpoint.</summary>
    public Uri Url { get; }

    /// <summary>Cancelled when the listener stops, e.g. on Ctrl+C or SIGTERM, which its host handles.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    /// <summary>
    /// Starts the listener on <paramref name="listenUrl"/>. The webhook secret comes from <c>WEBHOOK_SECRET</c> or
    /// <c>ConvAi:Webhooks:Secret</c>, unless <paramref name="secret"/> is given (the emulator's). Verified events go to
    /// <paramref name="outcomes"/>, the tracker the client's container uses too.
    /// </summary>
    public static async Task<WebhookListener> StartAsync(string listenUrl, string? secret, CallOutcomeTracker outcomes, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(listenUrl);
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        if (secret is not null)
        {
            builder.Configuration.AddInMemoryCollection([new("ConvAi:Webhooks:Secret", secret)]);
        }

        builder.Services.AddSingleton<ICallEventSink>(outcomes); // in an app with AddConvAiTelephony, this is registered for you
        builder.Services.AddConvAiWebhooks().AddHandler<QuickstartWebhookHandler>(); // ConvAi:Webhooks section, WEBHOOK_SECRET fallback

        var app = builder.Build();
        app.MapConvAiWebhooks(QuickstartSettings.WebhookPath);
        await app.StartAsync(cancellationToken);

        var address = new Uri(app.Urls.First());
        return new WebhookListener(app, new Uri(address, QuickstartSettings.WebhookPath));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// Called by the webhook endpoint for each verified, de-duplicated event: a real app stores the transcript and analysis
/// here. The Quickstart prints them from the outcome instead, so it overrides nothing.
/// </summary>
internal sealed class QuickstartWebhookHandler : ConvAiWebhookHandler;
