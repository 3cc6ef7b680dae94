// AppHost: the ElevenLabs telephony emulator, samples/WebhookReceiver and samples/MediaStreamBridge, started together with
// the Aspire dashboard. The emulator sends its signed webhooks to the receiver and plays the agent the bridge connects its
// calls to; both apps get the emulator's connection (ConnectionStrings:convai), the webhook secret and the Twilio auth
// token through WithReference. Publishing the same AppHost points them at the real API, with the key and secrets as
// parameters. See README.md.
var builder = DistributedApplication.CreateBuilder(args);

var convai = builder.AddConvAiEmulator("convai")
    .WithCallStepDelay(TimeSpan.FromMilliseconds(int.TryParse(builder.Configuration["Emulator:StepDelayMs"], out var ms) ? ms : 2000));

// The conversation-initiation webhook's shared header secret (configured in the ElevenLabs dashboard in production).
var initiationSecret = builder.AddParameter("initiation-secret", new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: false);

// The receiver keeps its deliveries and results in one SQLite file; Receiver:Database moves it (tests use a temporary folder).
var database = builder.Configuration["Receiver:Database"] ?? Path.Combine(Path.GetTempPath(), "convai-apphost", "results.db");
Directory.CreateDirectory(Path.GetDirectoryName(database)!);

var receiver = builder.AddProject<Projects.WebhookReceiver>("receiver", launchProfileName: null)
    .WithHttpEndpoint(env: "ASPNETCORE_HTTP_PORTS")
    .WithHttpHealthCheck("/conversations")
    .WithReference(convai)
    .WaitFor(convai)
    .WithEnvironment("ConnectionStrings__Results", $"Data Source={database}")
    .WithEnvironment("ConvAi__ConversationInitiation__Secret", initiationSecret);

convai.WithWebhookTarget(receiver, "/webhooks/elevenlabs");

// The Twilio Media Streams bridge: Twilio's voice webhook at /twilio/voice, the stream at /twilio/media, signed with the
// Twilio auth token WithReference gives; its calls go to the agent bridge-agent-id on the emulator's agent socket (a
// signed URL per call; the emulator accepts any agent id). Published, the parameter names the real agent.
var agentId = builder.AddParameter("bridge-agent-id", "agent_order_desk", publishValueAsDefault: true);
builder.AddProject<Projects.MediaStreamBridge>("bridge", launchProfileName: null)
    .WithHttpEndpoint(env: "ASPNETCORE_HTTP_PORTS")
    .WithHttpHealthCheck("/health")
    .WithReference(convai)
    .WaitFor(convai)
    .WithEnvironment("ConvAi__Twilio__AgentId", agentId);

builder.Build().Run();
