namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Marks a controller, action or endpoint as an ElevenLabs webhook receiver: with
/// <c>app.UseConvAiWebhookVerification()</c> in the pipeline, requests to it are verified, parsed and checked for
/// duplicates before it runs, and it reads the event with <c>HttpContext.GetConvAiWebhookEvent()</c>. Do not bind
/// the request body in the action: the middleware has already read it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class ConvAiWebhookAttribute : Attribute
{
}
