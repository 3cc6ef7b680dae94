using Microsoft.AspNetCore.Http;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>Gives endpoints marked as webhook receivers the verified webhook event.</summary>
public static class ConvAiWebhookHttpContextExtensions
{
    /// <summary>Returns the event that the endpoint's mark (<c>RequireConvAiWebhookSignature()</c> or <see cref="ConvAiWebhookAttribute"/>) verified and parsed for this request.</summary>
    /// <param name="context">The current request.</param>
    /// <returns>The verified event.</returns>
    /// <exception cref="InvalidOperationException">
    /// The request was not verified: the endpoint is not marked. The event is never available unverified.
    /// </exception>
    public static ConvAiWebhookEvent GetConvAiWebhookEvent(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ConvAiWebhookFeature>()?.Event
            ?? throw new InvalidOperationException(
                "This request carries no verified ElevenLabs webhook. Mark the endpoint with .RequireConvAiWebhookSignature() "
                + "(or an MVC controller or action with [ConvAiWebhook]).");
    }
}

/// <summary>The verified event of the current request.</summary>
internal sealed class ConvAiWebhookFeature(ConvAiWebhookEvent webhookEvent)
{
    public ConvAiWebhookEvent Event { get; } = webhookEvent;
}
