// The ASP.NET Core C# block of docs/workspace-webhooks.md, compiled here so the documentation keeps compiling. Not run.
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.AspNetCore.Tests.Docs;

#pragma warning disable CS8321, IDE0059, CA1303, CA1812

internal static class HealthCheckDocsSnippets
{
    public static void WebhookHealthCheck(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddConvAiTelephony(builder.Configuration.GetSection("ConvAi"));
        builder.Services.AddHealthChecks().AddConvAiWebhookHealthCheck(o =>
        {
            o.WebhookId = "wh_...";                          // optional: the post_call_webhook_id to watch
            o.RecentFailureWindow = TimeSpan.FromHours(1);   // default
        });
        var app = builder.Build();
        app.MapHealthChecks("/health");
    }
}
