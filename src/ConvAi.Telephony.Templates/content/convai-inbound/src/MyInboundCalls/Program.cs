// Answers inbound Twilio calls with an ElevenLabs agent, routed by this app while the phone rings: Twilio posts "a call
// comes in" to /twilio/inbound, MapConvAiTwilioInboundCalls verifies X-Twilio-Signature, CallRouter picks the agent (or
// rejects the call), and the call is registered with ElevenLabs, whose TwiML goes back to Twilio. Calls ElevenLabs
// answers natively are personalized by the conversation-initiation webhook (CallerDetails).
using ConvAi.Telephony.AspNetCore;
using MyInboundCalls;

var builder = WebApplication.CreateBuilder(args);

// The API client that registers each call: ConvAi:ApiKey or ELEVENLABS_API_KEY (ConvAi:BaseAddress for another host).
builder.Services.AddConvAiTelephony();

// Twilio: ConvAi:Twilio:AuthToken or TWILIO_AUTH_TOKEN; ConvAi:Twilio:AgentId answers when the router names no agent.
builder.Services.Configure<RoutingOptions>(builder.Configuration.GetSection(RoutingOptions.SectionName));
builder.Services.AddConvAiTwilioInboundCalls().AddRouter<CallRouter>();

// Conversation initiation: ElevenLabs sends ConvAi:ConversationInitiation:Secret in a header (set it in its dashboard too).
builder.Services.AddConvAiConversationInitiation().AddHandler<CallerDetails>();

var app = builder.Build();

app.MapConvAiTwilioInboundCalls("/twilio/inbound");
app.MapConvAiConversationInitiation("/webhooks/elevenlabs/initiation");

app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
