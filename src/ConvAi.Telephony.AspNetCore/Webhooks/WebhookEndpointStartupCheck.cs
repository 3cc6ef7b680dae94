using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.AspNetCore;

/// <summary>
/// Builds the app's endpoints once its pipeline is configured, before the server starts, so that a marked endpoint's
/// missing registration or secret fails start-up, and fails start-up for an endpoint that carries
/// <see cref="ConvAiWebhookAttribute"/> where nothing verifies it (the attribute on a minimal API handler: only
/// <c>RequireConvAiWebhookSignature()</c> or an MVC resource filter can run before binding).
/// </summary>
internal sealed class WebhookEndpointStartupCheck : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        if (app.ApplicationServices.GetService<EndpointDataSource>() is { } endpoints)
        {
            foreach (var endpoint in endpoints.Endpoints)
            {
                Check(endpoint);
            }
        }
    };

    internal static void Check(Endpoint endpoint)
    {
        var metadata = endpoint.Metadata;
        if (metadata.GetMetadata<ConvAiWebhookAttribute>() is null
            || metadata.GetMetadata<VerifiedEndpointMetadata>() is not null
            || metadata.GetMetadata<ActionDescriptor>()?.FilterDescriptors.Any(filter => filter.Filter is ConvAiWebhookAttribute) == true)
        {
            return;
        }

        throw new InvalidOperationException(
            $"The endpoint '{endpoint.DisplayName}' carries [ConvAiWebhook], but nothing verifies its requests: the attribute "
            + "verifies MVC controllers and actions only. Mark a minimal API endpoint or route group with "
            + ".RequireConvAiWebhookSignature() instead.");
    }
}
