using ConvAi.Telephony.AspNetCore;

namespace MyBridge;

/// <summary>Builds the app: the API client, the bridge with its handler, and the two endpoints Twilio calls.</summary>
public static class BridgeApp
{
    /// <summary>Creates the app from the command line, appsettings.json and the environment, as <c>WebApplication.CreateBuilder</c> does.</summary>
    /// <param name="args">The command line, for example <c>--urls http://127.0.0.1:5090</c> or <c>--ConvAi:Twilio:AgentId=agent_…</c>.</param>
    /// <returns>The app, not started yet.</returns>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        // The agent socket: ConvAi:ApiKey or ELEVENLABS_API_KEY (each call gets a signed URL); ConvAi:BaseAddress for another host.
        builder.Services.AddConvAiTelephony();

        // Twilio: ConvAi:Twilio:AuthToken or TWILIO_AUTH_TOKEN (the app does not start without one), ConvAi:Twilio:AgentId
        // (the agent that answers) and, behind a proxy or tunnel, ConvAi:Twilio:PublicBaseUrl (Twilio signs the URL it
        // calls). ConvAi:TwilioBridge:* tunes the bridge; both sections are validated at start-up.
        builder.Services.AddConvAiTwilioBridge<OrderLookupHandler>();
        builder.Services.AddSingleton<OrderBook>();

        var app = builder.Build();
        app.UseWebSockets();
        app.MapConvAiTwilioVoice("/twilio/voice");        // Twilio's "A call comes in" (and /twilio/voice/after when the stream ends)
        app.MapConvAiTwilioMediaStream("/twilio/media");  // the stream; ConvAi:TwilioBridge:MediaStreamPath must match
        return app;
    }
}
