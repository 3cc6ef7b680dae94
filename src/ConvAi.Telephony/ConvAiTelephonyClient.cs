using Microsoft.Extensions.DependencyInjection;
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
    private readonly Lazy<PhoneNumbersClient>? _phoneNumbers;
    private readonly Lazy<CallsClient>? _calls;
    private readonly Lazy<ConversationsClient>? _conversations;
    private readonly Lazy<BatchCallsClient>? _batchCalls;
    private readonly Lazy<WhatsAppClient>? _whatsApp;
    private readonly Lazy<WorkspaceWebhooksClient>? _workspaceWebhooks;

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

        // Each area's Refit client (and the request metadata Refit reads from its interface) is built on first use:
        // an app that only places calls never pays for the other areas.
        _phoneNumbers = new(() => new PhoneNumbersClient(RestService.ForGenerated<IPhoneNumbersApi>(httpClient, settings)));
        // Live conversations use the given handler for the socket's HTTP upgrade too (an emulator handler sends it there); without one,
        // ClientWebSocket connects by itself.
        var sessions = new ConversationSessionConnector(() => options, () => handler, telemetry, logger, timeProvider);
        _conversations = new(() => new ConversationsClient(RestService.ForGenerated<IConversationsApi>(httpClient, settings), context, sessions));
        _calls = new(() => new CallsClient(RestService.ForGenerated<ICallsApi>(httpClient, settings), context, Conversations, new CallOutcomeTracker(timeProvider)));
        _batchCalls = new(() => new BatchCallsClient(RestService.ForGenerated<IBatchCallsApi>(httpClient, settings), context));
        _whatsApp = new(() => new WhatsAppClient(RestService.ForGenerated<IWhatsAppApi>(httpClient, settings), context));
        _workspaceWebhooks = new(() => new WorkspaceWebhooksClient(RestService.ForGenerated<IWorkspaceWebhooksApi>(httpClient, settings)));
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiTelephonyClient"/> class for mocking.</summary>
    protected ConvAiTelephonyClient()
    {
    }

    /// <summary>The container's client: each area is resolved from <paramref name="services"/> on first use.</summary>
    internal ConvAiTelephonyClient(IServiceProvider services)
    {
        _phoneNumbers = new(services.GetRequiredService<PhoneNumbersClient>);
        _calls = new(services.GetRequiredService<CallsClient>);
        _conversations = new(services.GetRequiredService<ConversationsClient>);
        _batchCalls = new(services.GetRequiredService<BatchCallsClient>);
        _whatsApp = new(services.GetRequiredService<WhatsAppClient>);
        _workspaceWebhooks = new(services.GetRequiredService<WorkspaceWebhooksClient>);
    }

    /// <inheritdoc/>
    public virtual PhoneNumbersClient PhoneNumbers => _phoneNumbers?.Value!;

    /// <inheritdoc/>
    public virtual CallsClient Calls => _calls?.Value!;

    /// <inheritdoc/>
    public virtual ConversationsClient Conversations => _conversations?.Value!;

    /// <inheritdoc/>
    public virtual BatchCallsClient BatchCalls => _batchCalls?.Value!;

    /// <inheritdoc/>
    public virtual WhatsAppClient WhatsApp => _whatsApp?.Value!;

    /// <inheritdoc/>
    public virtual WorkspaceWebhooksClient WorkspaceWebhooks => _workspaceWebhooks?.Value!;
}
