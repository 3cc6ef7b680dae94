using Polly;

namespace ConvAi.Telephony;

/// <summary>Reads and writes the request on a Polly <see cref="ResilienceContext"/> while <see cref="ConvAiResilienceHandler"/> runs it.</summary>
internal static class ConvAiResilienceContext
{
    /// <summary>
    /// The property that holds the request. It has the name Microsoft.Extensions.Http.Resilience uses, so a replacement
    /// pipeline written against that package's <c>GetRequestMessage()</c> still finds the request.
    /// </summary>
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestMessageKey = new("Resilience.Http.RequestMessage");

    /// <summary>Gets the request the pipeline is running, or null outside <see cref="ConvAiResilienceHandler"/>.</summary>
    public static HttpRequestMessage? GetRequestMessage(this ResilienceContext context)
        => context.Properties.TryGetValue(RequestMessageKey, out var request) ? request : null;

    /// <summary>Puts the request on the context.</summary>
    public static void SetRequestMessage(this ResilienceContext context, HttpRequestMessage request)
        => context.Properties.Set(RequestMessageKey, request);
}
