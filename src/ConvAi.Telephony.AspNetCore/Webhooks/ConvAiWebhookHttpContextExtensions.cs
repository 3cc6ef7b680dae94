using Microsoft.AspNetCore.Http;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>Gives endpoints marked with <see cref="ConvAiWebhookAttribute"/> the verified webhook event.</summary>
public static class ConvAiWebhookHttpContextExtensions
{
    /// <summary>Returns the event that <c>UseConvAiWebhookVerification()</c> verified and parsed for this request.</summary>
    /// <param name="context">The current request.</param>
    /// <returns>The verified event.</returns>
    /// <exception cref="InvalidOperationException">
    /// The request was not verified: the endpoint lacks <see cref="ConvAiWebhookAttribute"/> or the app did not call
    /// <c>app.UseConvAiWebhookVerification()</c>. The event is never available unverified.
    /// </exception>
    public static ConvAiWebhookEvent GetConvAiWebhookEvent(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Features.Get<ConvAiWebhookFeature>()?.Event
            ?? throw new InvalidOperationException(
                "This request carries no verified ElevenLabs webhook. Mark the endpoint with [ConvAiWebhook] "
                + "and call app.UseConvAiWebhookVerification() after routing.");
    }
}

/// <summary>The verified event of the current request.</summary>
internal sealed class ConvAiWebhookFeature(ConvAiWebhookEvent webhookEvent)
{
    public ConvAiWebhookEvent Event { get; } = webhookEvent;
}
