// Puts an ElevenLabs agent on your Twilio number through this app (Twilio Media Streams): Twilio posts "a call comes in"
// to /twilio/voice, MapConvAiTwilioVoice verifies X-Twilio-Signature and answers <Connect><Stream>, and the bridge at
// /twilio/media relays the call's audio between Twilio and the agent, unchanged both ways. The agent's client tool
// lookup_order runs here, in OrderLookupHandler. BridgeApp.Build wires it all, so the tests start the same app.
using MyBridge;

var app = BridgeApp.Build(args);
app.Run();
