// The C# blocks of docs/resilience.md, compiled here so the documentation keeps compiling. Not run.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace ConvAi.Telephony.Tests.Docs;

internal static class ResilienceDocsSnippets
{
    public static async Task<string?> StartOrReconcileAsync(IConvAiTelephonyClient client, string orderId, CancellationToken cancellationToken)
    {
        var request = new StartTwilioCallRequest
        {
            ToNumber = "+14155550100",
            ConversationInitiationClientData = new ConversationInitiationClientData { UserId = $"order-{orderId}" },
        };
        try
        {
            TwilioCallResult call = await client.Calls.StartTwilioCallAsync(request, cancellationToken);
            return call.ConversationId;
        }
        catch (ConvAiOutcomeUnknownException unknown)
        {
            // The conversation may take a few seconds to appear: look again later before you conclude it was not placed.
            var filter = new ConversationListOptions
            {
                AgentId = unknown.AgentId,
                UserId = unknown.UserId,
                CallStartAfterUnix = unknown.StartedAt.ToUnixTimeSeconds() - 1,
            };
            await foreach (ConversationSummary summary in client.Conversations.ListAllAsync(filter, cancellationToken))
            {
                Conversation conversation = await client.Conversations.GetAsync(summary.ConversationId, cancellationToken: cancellationToken);
                if (conversation.Metadata?.PhoneCall?.ExternalNumber == unknown.ToNumber)
                {
                    return conversation.ConversationId; // it was placed: do not call again
                }
            }

            return null; // not found (yet): decide whether to call again, e.g. after checking once more in a minute
        }
    }

    public static void Tune(IServiceCollection services, IConfiguration configuration)
    {
        services.AddConvAiTelephony(configuration.GetSection("ConvAi"))
            .ConfigureResilience(resilience =>
            {
                resilience.MaxConcurrentRequests = 10; // the plan's maximum-concurrent-requests
                resilience.MaxRetryAttempts = 2;
                resilience.TotalTimeout = TimeSpan.FromSeconds(60);
            });
    }

    public static void Replace(IServiceCollection services)
    {
        services.AddConvAiTelephony(o => o.ApiKey = "...")
            .ReplaceResiliencePipeline((pipeline, context) =>
            {
                pipeline.AddTimeout(TimeSpan.FromSeconds(20)); // e.g. no retries at all
            });
    }
}
