using Microsoft.Extensions.Logging.Abstractions;
using Refit;

namespace ConvAi.Telephony;

/// <summary>
/// The ElevenLabs Conversational AI telephony client. Get it from DI after
/// <c>services.AddConvAiTelephony(...)</c>, or create one with
/// <see cref="ConvAiTelephonyClient(ConvAiTelephonyOptions, HttpMessageHandler?)"/> and reuse it.
/// </summary>
public class ConvAiTelephonyClient : IConvAiTelephonyClient
{
    /// <summary>
    /// Initializes a new instance of the <see cref="ConvAiTelephonyClient"/> class without a DI container,
    /// with the same pipeline as the container builds (API key, User-Agent, error mapping, resilience, telemetry). Create it once and reuse it.
    /// </summary>
    /// <param name="options">The settings; they are validated like at startup.</param>
    /// <param name="handler">
    /// The innermost handler, e.g. a test handler or a configured <see cref="SocketsHttpHandler"/>, used as it is; null uses a
    /// default one that asks for compressed answers (<c>Accept-Encoding: gzip, deflate, br</c>) and decodes them as they stream in.
    /// </param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid, e.g. no API key.</exception>
    public ConvAiTelephonyClient(ConvAiTelephonyOptions options, HttpMessageHandler? handler = null)
    {
        ConvAiTelephonyOptionsValidator.ThrowIfInvalid(options);
        var timeProvider = TimeProvider.System;
        var logger = NullLogger.Instance;
        var telemetry = ConvAiTelemetry.Shared;
        HttpMessageHandler pipeline = handler ?? ConvAiTransport.CreatePrimaryHandler();
        var handlers = ConvAiTransport.CreateStandaloneHandlers(options, timeProvider, logger, telemetry);
        for (var i = handlers.Length - 1; i >= 0; i--)
        {
            handlers[i].InnerHandler = pipeline;
            pipeline = handlers[i];
        }

        var httpClient = new HttpClient(pipeline, disposeHandler: handler is null);
        ConvAiTransport.Configure(httpClient, options);
        var settings = ConvAiTransport.CreateRefitSettings();
        var context = new ClientContext(options, timeProvider, logger, telemetry);
        PhoneNumbers = new PhoneNumbersClient(RestService.ForGenerated<IPhoneNumbersApi>(httpClient, settings));
        Conversations = new ConversationsClient(RestService.ForGenerated<IConversationsApi>(httpClient, settings));
        Calls = new CallsClient(RestService.ForGenerated<ICallsApi>(httpClient, settings), context, Conversations, new CallOutcomeTracker(timeProvider));
        BatchCalls = new BatchCallsClient(RestService.ForGenerated<IBatchCallsApi>(httpClient, settings), context);
        WhatsApp = new WhatsAppClient(RestService.ForGenerated<IWhatsAppApi>(httpClient, settings), context);
        WorkspaceWebhooks = new WorkspaceWebhooksClient(RestService.ForGenerated<IWorkspaceWebhooksApi>(httpClient, settings));
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiTelephonyClient"/> class for mocking.</summary>
    protected ConvAiTelephonyClient()
    {
        PhoneNumbers = null!;
        Calls = null!;
        Conversations = null!;
        BatchCalls = null!;
        WhatsApp = null!;
        WorkspaceWebhooks = null!;
    }

    internal ConvAiTelephonyClient(
        PhoneNumbersClient phoneNumbers,
        CallsClient calls,
        ConversationsClient conversations,
        BatchCallsClient batchCalls,
        WhatsAppClient whatsApp,
        WorkspaceWebhooksClient workspaceWebhooks)
    {
        PhoneNumbers = phoneNumbers;
        Calls = calls;
        Conversations = conversations;
        BatchCalls = batchCalls;
        WhatsApp = whatsApp;
        WorkspaceWebhooks = workspaceWebhooks;
    }

    /// <inheritdoc/>
    public virtual PhoneNumbersClient PhoneNumbers { get; }

    /// <inheritdoc/>
    public virtual CallsClient Calls { get; }

    /// <inheritdoc/>
    public virtual ConversationsClient Conversations { get; }

    /// <inheritdoc/>
    public virtual BatchCallsClient BatchCalls { get; }

    /// <inheritdoc/>
    public virtual WhatsAppClient WhatsApp { get; }

    /// <inheritdoc/>
    public virtual WorkspaceWebhooksClient WorkspaceWebhooks { get; }
}
