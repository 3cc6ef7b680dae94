// InboundRouting: Twilio inbound calls routed by your own server before an agent answers (MapConvAiTwilioInboundCalls):
// blocked callers rejected, a person dialled after hours, VIP callers and each called number sent to their agent.
// Without ELEVENLABS_API_KEY, register-call is served by the in-process emulator. See README.md.
using ConvAi.Telephony;
using ConvAi.Telephony.AspNetCore;
using ConvAi.Telephony.Testing;
using InboundRouting;

var builder = WebApplication.CreateBuilder(args); // --urls, appsettings.json, ConvAi__* and the variables below
var configuration = builder.Configuration;

// The API client that calls register-call. ConvAi:ApiKey, or ELEVENLABS_API_KEY; neither: the emulator.
var useEmulator = string.IsNullOrWhiteSpace(configuration["ConvAi:ApiKey"]) && string.IsNullOrWhiteSpace(configuration["ELEVENLABS_API_KEY"]);
await using var emulator = useEmulator ? new ConvAiEmulator() : null;
// ELEVENLABS_API_KEY and TWILIO_AUTH_TOKEN are read by the library when ConvAi:ApiKey and ConvAi:Twilio:AuthToken are empty.
var telephony = builder.Services.AddConvAiTelephony(configuration.GetSection(ConvAiTelephonyOptions.SectionName));
if (emulator is not null)
{
    telephony.UseConvAiEmulator(emulator);
}

// The Twilio endpoint: ConvAi:Twilio keys, with ELEVENLABS_AGENT_ID as the agent when none is set there.
builder.Services.AddConvAiTwilioInboundCalls()
    .Configure(o => o.AgentId = string.IsNullOrWhiteSpace(o.AgentId) ? configuration["ELEVENLABS_AGENT_ID"] ?? (useEmulator ? "agent_emulated" : null) : o.AgentId)
    .AddRouter<CallRouter>();

// The routing rules, checked at start-up.
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddOptions<RoutingOptions>()
    .Bind(configuration.GetSection(RoutingOptions.SectionName))
    .Validate(o => TimeZoneInfo.TryFindSystemTimeZoneById(o.OpeningHours.TimeZone, out _), "Routing:OpeningHours:TimeZone is not a known time zone id.")
    .Validate(o => o.OpeningHours.Opens < o.OpeningHours.Closes, "Routing:OpeningHours:Opens must be before Routing:OpeningHours:Closes.")
    .Validate(o => o.AfterHoursDialNumber is null || PhoneNumberFormat.TryNormalizeE164(o.AfterHoursDialNumber, out _), "Routing:AfterHoursDialNumber must be an E.164 number.")
    .ValidateOnStart();

var app = builder.Build();
app.Logger.LogInformation(useEmulator
    ? "No ELEVENLABS_API_KEY: register-call is served by the in-process emulator (no account, no real call)."
    : "Registering calls with the ElevenLabs API.");

app.MapConvAiTwilioInboundCalls("/twilio/inbound");

await app.RunAsync();
