using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace ConvAi.Telephony;

/// <summary>A user's pipeline registered with <c>ReplaceResiliencePipeline</c>, used instead of the default one.</summary>
internal sealed class ConvAiResiliencePipelineReplacement(Action<ResiliencePipelineBuilder<HttpResponseMessage>, ResilienceHandlerContext> configure)
{
    public Action<ResiliencePipelineBuilder<HttpResponseMessage>, ResilienceHandlerContext> Configure { get; } = configure;
}
