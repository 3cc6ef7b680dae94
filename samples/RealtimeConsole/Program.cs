// ConvAi.Telephony RealtimeConsole: a text conversation with an agent over its WebSocket, in the console.
// With no ELEVENLABS_API_KEY it talks to a scripted agent in the in-process emulator (ConvAi.Telephony.Testing); see README.md.
using Microsoft.Extensions.Configuration;
using RealtimeConsole;

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancellation.Cancel(); };
return await RealtimeConversation.RunAsync(configuration, Console.In, Console.Out, cancellation.Token);
