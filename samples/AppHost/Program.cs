// AppHost: the ElevenLabs telephony emulator and samples/WebhookReceiver, started together with the Aspire dashboard.
// The emulator sends its signed webhooks to the receiver; the receiver gets the emulator's connection
// (ConnectionStrings:convai), the webhook secret and a Twilio auth token through WithReference. Publishing the same
// AppHost points the receiver at the real API, with the key and secrets as parameters. See README.md.
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

builder.Build().Run();
