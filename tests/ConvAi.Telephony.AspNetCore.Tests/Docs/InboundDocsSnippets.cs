// The C# blocks of docs/inbound-calls.md, compiled here so the documentation keeps compiling. Not run.
using System.Text.Json.Nodes;
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;

namespace ConvAi.Telephony.AspNetCore.Tests.Docs;

#pragma warning disable CS8321, IDE0059, CA1303, CA1812

internal static class InboundDocsSnippets
{
    // A. Code
    public static void TwilioInbound(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddConvAiTelephony(builder.Configuration.GetSection("ConvAi"));
        builder.Services.AddConvAiTwilioInboundCalls();

        var app = builder.Build();
        app.MapConvAiTwilioInboundCalls("/twilio/inbound");
        app.MapConvAiTwilioInboundCalls("/twilio/routed", async (call, cancellationToken) =>
        {
            await Task.Yield();
            if (call.From == "+14155550666")
            {
                return TwilioCallRoute.Answer(TwiML.Reject());
            }

            if (call.Form.TryGetValue("FromCountry", out var country) && country == "DE")
            {
                return TwilioCallRoute.Answer(TwiML.Dial("+4930123456"));
            }

            return TwilioCallRoute.ToAgent("agent_sales", new ConversationInitiationClientData
            {
                UserId = call.From,
                DynamicVariables = new Dictionary<string, JsonNode?>
                {
                    ["caller_number"] = call.From,
                    ["visits"] = 3,
                    [DynamicVariables.Secret("crm_id")] = "C-991",
                },
            });
        });
        app.Run();
    }

    // Behind a reverse proxy
    public static void ForwardedHeaders(WebApplication app)
    {
        app.UseForwardedHeaders(new ForwardedHeadersOptions
        {
            ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedHost,
        });
        app.MapConvAiTwilioInboundCalls("/twilio/inbound");
    }

    // Your own endpoints and tests
    public static void OwnEndpoints(WebApplication app, string authToken, string url, IEnumerable<KeyValuePair<string, string>> formFields, HttpRequest request)
    {
        var validator = new TwilioRequestValidator(authToken);
        bool ok = validator.Verify(url, formFields, request.Headers["X-Twilio-Signature"]) == ConvAiWebhookSignatureResult.Valid;
        string signature = validator.ComputeSignature(url, formFields);

        app.MapPost("/twilio/closed", (RequestDelegate)(ctx =>
            Results.Extensions.TwiML(TwiML.SayAndHangup("We are closed. Please call again tomorrow.")).ExecuteAsync(ctx)));
    }

    // B. Code
    public static void Initiation(WebApplicationBuilder builder, WebApplication app, ICustomers customers)
    {
        builder.Services.AddConvAiConversationInitiation();

        app.MapConvAiConversationInitiation("/webhooks/elevenlabs/initiation", async (request, cancellationToken) =>
        {
            var customer = await customers.FindByPhoneAsync(request.CallerId, cancellationToken);
            return new ConversationInitiationResponse
            {
                DynamicVariables = new Dictionary<string, JsonNode?>
                {
                    ["customer_name"] = customer?.Name ?? "there",
                    ["account_status"] = customer?.Status ?? "unknown",
                },
                UserId = customer?.Id,
                ConversationConfigOverride = new ConversationConfigOverride
                {
                    Agent = new AgentOverride { FirstMessage = $"Hi {customer?.Name ?? "there"}, how can I help?" },
                },
            };
        });
    }

    internal interface ICustomers
    {
        Task<Customer?> FindByPhoneAsync(string? phone, CancellationToken cancellationToken);
    }

    internal sealed record Customer(string Id, string Name, string Status);
}
