using System.Net;

namespace ConvAi.Telephony.Testing;

/// <summary>Settings of a <see cref="ConvAiEmulator"/>. They are read when the emulator is constructed.</summary>
public sealed class ConvAiEmulatorOptions
{
    /// <summary>Gets or sets the API key the emulator accepts in the <c>xi-api-key</c> header. The default is <c>emulator-key</c>.</summary>
    public string ApiKey { get; set; } = "emulator-key";

    /// <summary>
    /// Gets or sets the TCP port the emulator listens on. The default, 0, takes a free port chosen by the system
    /// (read it from <see cref="ConvAiEmulator.BaseAddress"/>); set a fixed port to run the emulator as a standalone server.
    /// </summary>
    public int Port { get; set; }

    /// <summary>
    /// Gets or sets the address the emulator listens on. The default is <see cref="IPAddress.Loopback"/>; use
    /// <see cref="IPAddress.Any"/> to reach it from other machines or containers (it has no TLS and one fixed API key, so
    /// only on a trusted network). <see cref="ConvAiEmulator.BaseAddress"/> names the loopback address when it listens on any.
    /// </summary>
    public IPAddress ListenAddress { get; set; } = IPAddress.Loopback;

    /// <summary>
    /// Gets or sets the URL that post-call webhooks are delivered to. When it is <see langword="null"/>, webhooks are
    /// still built, signed and listed in <see cref="ConvAiEmulator.WebhookDeliveries"/>, but not sent.
    /// </summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Gets or sets the secret that signs the <c>ElevenLabs-Signature</c> header of each webhook.</summary>
    public string WebhookSecret { get; set; } = "emulator-webhook-secret";

    /// <summary>Gets or sets a value indicating whether a <c>post_call_audio</c> webhook follows each <c>post_call_transcription</c>.</summary>
    public bool SendAudioWebhook { get; set; }

    /// <summary>
    /// Gets or sets the handler that webhook deliveries are sent through, for example an ASP.NET Core
    /// <c>TestServer</c>'s handler. When it is <see langword="null"/>, webhooks go over the network to <see cref="WebhookUrl"/>.
    /// The emulator does not dispose it.
    /// </summary>
    public HttpMessageHandler? WebhookHandler { get; set; }

    /// <summary>
    /// Gets the E.164 numbers that answer busy: a call to one of them ends <c>failed</c> and produces a
    /// <c>call_initiation_failure</c> webhook with failure reason <c>busy</c>.
    /// </summary>
    public ISet<string> BusyNumbers { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets the E.164 numbers that never answer: a call to one of them ends <c>failed</c> and produces a
    /// <c>call_initiation_failure</c> webhook with failure reason <c>no-answer</c>.
    /// </summary>
    public ISet<string> NoAnswerNumbers { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets the E.164 numbers whose calls fail for another reason: a call to one of them ends <c>failed</c> (with
    /// <c>metadata.error.reason</c> <c>unknown</c>) and produces a <c>call_initiation_failure</c> webhook with failure reason <c>unknown</c>.
    /// </summary>
    public ISet<string> FailedNumbers { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets the E.164 numbers answered by voicemail: a call to one of them completes (<c>done</c>, analysed as
    /// <c>failure</c>) with the agent's <c>voicemail_detection</c> system tool result (<c>result_type</c>
    /// <c>voicemail_detection_success</c>) in the transcript, and produces a <c>post_call_transcription</c> webhook;
    /// a batch recipient called there reads <c>voicemail</c>.
    /// </summary>
    public ISet<string> VoicemailNumbers { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets the E.164 numbers whose calls complete but are analysed as unsuccessful
    /// (<c>call_successful</c> is <c>failure</c>). Every other completed call is a <c>success</c>.
    /// </summary>
    public ISet<string> UnsuccessfulNumbers { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// Gets or sets the clock behind every timestamp and state transition. Pass a
    /// <c>FakeTimeProvider</c> to move conversations forward deterministically. The default is <see cref="TimeProvider.System"/>.
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Gets or sets the time each conversation spends in each state (<c>initiated</c>, <c>in-progress</c>,
    /// <c>processing</c>) before it is <c>done</c>. The default is 20 milliseconds, so calls finish almost at once.
    /// </summary>
    public TimeSpan StepDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Gets or sets the agent name reported for every agent id. The default is <c>Emulated agent</c>.</summary>
    public string AgentName { get; set; } = "Emulated agent";

    /// <summary>
    /// Gets the WhatsApp business accounts the emulated workspace starts with. WhatsApp calls and messages need one
    /// of these as <c>whatsapp_phone_number_id</c>; an unknown id answers 404 like the API. The emulator copies the list
    /// when it is created; the API's updates and deletes change that copy (<see cref="ConvAiEmulator.WhatsAppAccounts"/>), not this list.
    /// </summary>
    public IList<EmulatedWhatsAppAccount> WhatsAppAccounts { get; } = [];

    /// <summary>
    /// Gets the scripts of the agents the emulator plays on its agent WebSocket, by agent id. Any other agent id plays
    /// <see cref="DefaultAgent"/>.
    /// </summary>
    public IDictionary<string, EmulatedAgent> Agents { get; } = new Dictionary<string, EmulatedAgent>(StringComparer.Ordinal);

    /// <summary>Gets or sets the script of every agent id not in <see cref="Agents"/>: a greeting, an echo of each user turn, and an end on <c>goodbye</c>.</summary>
    public EmulatedAgent DefaultAgent { get; set; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether the agent's audio is sent in real time (one 100 ms chunk every 100 ms by
    /// <see cref="TimeProvider"/>), so a caller who speaks meanwhile interrupts it. Turn it off in tests: the audio is then sent at
    /// once and counts as played, so nothing interrupts it. The default is <see langword="true"/>.
    /// </summary>
    public bool PaceAgentAudio { get; set; } = true;

    /// <summary>
    /// Gets or sets how often the agent pings each socket (by <see cref="TimeProvider"/>); zero or less sends no pings. The default is 5 seconds.
    /// </summary>
    public TimeSpan AgentPingInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long a ping may stay unanswered before the agent closes the socket with 1002, as the real agent does when
    /// a client stops answering. The default is 20 seconds.
    /// </summary>
    public TimeSpan AgentPongTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Gets or sets a value indicating whether every agent socket runs the bridge benchmark's echo instead of its script
    /// (benchmarks/bridges only, not a feature): see <see cref="AgentBenchmarkEcho"/>.
    /// </summary>
    internal bool BenchmarkEcho { get; set; }
}
