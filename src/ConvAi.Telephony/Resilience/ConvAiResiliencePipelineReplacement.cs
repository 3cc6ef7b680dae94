using Polly;
using Polly.DependencyInjection;

namespace ConvAi.Telephony;

/// <summary>A user's pipeline registered with <c>ReplaceResiliencePipeline</c>, used instead of the default one.</summary>
internal sealed class ConvAiResiliencePipelineReplacement(Action<ResiliencePipelineBuilder<HttpResponseMessage>, AddResiliencePipelineContext<string>> configure)
{
    public Action<ResiliencePipelineBuilder<HttpResponseMessage>, AddResiliencePipelineContext<string>> Configure { get; } = configure;
}
