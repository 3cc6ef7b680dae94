using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ConvAi.Telephony.Shared;
using ConvAi.Telephony.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Samples.Tests.WebhookReceiver;

/// <summary>
/// Issue 24's scenario, as a new user runs it: samples/WebhookReceiver as a real process (Queued mode, its SQLite file,
/// reconciliation against the emulator), killed with SIGKILL and started again over the same file, while the emulator
/// places calls and sends each call's post-call webhook once, as ElevenLabs does. Before the SQLite store, the restarted
/// process had forgotten which deliveries it processed and processed 7 of 30 again.
/// </summary>
[NonParallelizable]
public class KilledReceiverScenarioTests
{
    private const string WebhookSecret = "whsec_scenario_7d1e";
    private const string AgentId = "agent_scenario";

    /// <summary>
    /// 30 finished conversations: 10 delivered, then the process killed without shutdown, 5 sent while it was down, 5
    /// after the restart, 10 never sent. Every conversation ends up stored, none processed twice: the delivered ones by
    /// their webhooks, the 15 others by reconciliation, which skips the 10 processed before the kill because their
    /// processed marks are in the file.
    /// </summary>
    [Test]
    [CancelAfter(180_000)]
    public async Task KilledAndRestarted_WithReconciliation_EveryConversationStoredNoneTwice(CancellationToken cancellationToken)
    {
        await using var scenario = await Scenario.StartAsync(reconcile: true, cancellationToken);

        await scenario.FinishCallsAsync(10, cancellationToken);            // delivered: answered 200
        var storedAtKill = scenario.Count("SELECT COUNT(*) FROM results");
        await scenario.KillAsync(cancellationToken);
        await scenario.FinishCallsAsync(5, cancellationToken);             // sent while the process is down: no answer
        await scenario.StartReceiverAsync(cancellationToken);
        await scenario.FinishCallsAsync(5, cancellationToken);             // delivered after the restart
        scenario.Webhooks.Drop = true;
        await scenario.FinishCallsAsync(10, cancellationToken);            // never sent
        await scenario.WaitUntilAsync(() => scenario.Count("SELECT COUNT(*) FROM results") == 30 && scenario.Count("SELECT COUNT(*) FROM convai_webhook_inbox") == 0, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken); // two more reconciliation passes: nothing may run again

        var deliveries = scenario.Emulator.WebhookDeliveries.Where(d => d.EventType == "post_call_transcription").ToArray();
        var processedTwice = scenario.Count("SELECT COUNT(*) FROM results WHERE processed_count > 1");
        var reconciled = scenario.Count("SELECT COUNT(*) FROM results WHERE reconciled = 1");
        var notDelivered = deliveries.Where(d => d.StatusCode != 200).Select(d => $"'{d.ConversationId}'").ToArray();
        var notDeliveredReconciled = scenario.Count($"SELECT COUNT(*) FROM results WHERE reconciled = 1 AND conversation_id IN ({string.Join(',', notDelivered)})");
        TestContext.Progress.WriteLine(
            $"scenario with reconciliation: {storedAtKill} stored at the kill; {deliveries.Count(d => d.StatusCode == 200)} webhooks answered 200, " +
            $"{deliveries.Count(d => d.StatusCode is null)} unanswered; after the restart {scenario.Count("SELECT COUNT(*) FROM results")}/30 stored, " +
            $"{reconciled} by reconciliation, {processedTwice} processed twice");

        Assert.Multiple(() =>
        {
            Assert.That(deliveries, Has.Length.EqualTo(30), "one webhook per conversation, sent once");
            Assert.That(deliveries.Count(d => d.StatusCode == 200), Is.EqualTo(15), "10 before the kill and 5 after the restart were answered 200");
            Assert.That(deliveries.Count(d => d.StatusCode is null && d.Error is not null), Is.EqualTo(5), "the 5 sent while the process was down got no answer");
            Assert.That(scenario.Count("SELECT COUNT(*) FROM results"), Is.EqualTo(30), "every conversation stored");
            Assert.That(processedTwice, Is.Zero, "none processed twice");
            Assert.That(notDeliveredReconciled, Is.EqualTo(15), "the 5 sent while down and the 10 never sent came through reconciliation");
        });
    }

    /// <summary>
    /// Reconciliation off (no API key): the process is killed the moment the tenth delivery was answered 200, whatever
    /// its inbox still held; every delivery answered 200 is processed after the restart, each once.
    /// </summary>
    [Test]
    [CancelAfter(120_000)]
    public async Task KilledRightAfterTheAnswers_WithoutReconciliation_EveryAcknowledgedDeliveryProcessedOnce(CancellationToken cancellationToken)
    {
        await using var scenario = await Scenario.StartAsync(reconcile: false, cancellationToken);

        await scenario.FinishCallsAsync(10, cancellationToken);
        await scenario.KillAsync(cancellationToken);
        var storedAtKill = scenario.Count("SELECT COUNT(*) FROM results");
        var queuedAtKill = scenario.Count("SELECT COUNT(*) FROM convai_webhook_inbox");
        await scenario.StartReceiverAsync(cancellationToken);
        await scenario.WaitUntilAsync(() => scenario.Count("SELECT COUNT(*) FROM results") == 10 && scenario.Count("SELECT COUNT(*) FROM convai_webhook_inbox") == 0, cancellationToken);

        var answered = scenario.Emulator.WebhookDeliveries.Count(d => d.EventType == "post_call_transcription" && d.StatusCode == 200);
        TestContext.Progress.WriteLine($"scenario without reconciliation: {answered} answered 200; killed with {storedAtKill} stored and {queuedAtKill} in the inbox; after the restart {scenario.Count("SELECT COUNT(*) FROM results")} stored");
        Assert.Multiple(() =>
        {
            Assert.That(answered, Is.EqualTo(10));
            Assert.That(scenario.Count("SELECT COUNT(*) FROM results WHERE processed_count = 1"), Is.EqualTo(10), "each acknowledged delivery processed once");
            Assert.That(scenario.Count("SELECT COUNT(*) FROM results WHERE reconciled = 1"), Is.Zero);
        });
    }

    /// <summary>The emulator (its clock five minutes behind, so every call has ended by the reconciler's clock), and the sample as a child process on one port and one file.</summary>
    private sealed class Scenario : IAsyncDisposable
    {
        private readonly bool _reconcile;
        private readonly FakeTimeProvider _time;
        private readonly ConvAiTelephonyClient _client;
        private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"webhookreceiver-scenario-{Guid.NewGuid():N}.db");
        private readonly int _port;
        private string _phoneNumberId = "";
        private int _calls;
        private Process? _receiver;

        private Scenario(bool reconcile, int port, FakeTimeProvider time, ConvAiEmulator emulator, DroppingHandler webhooks)
        {
            _reconcile = reconcile;
            _port = port;
            _time = time;
            Emulator = emulator;
            Webhooks = webhooks;
            _client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions { ApiKey = emulator.ApiKey, BaseAddress = emulator.BaseAddress });
        }

        public ConvAiEmulator Emulator { get; }

        public DroppingHandler Webhooks { get; }

        public static async Task<Scenario> StartAsync(bool reconcile, CancellationToken cancellationToken)
        {
            var time = new FakeTimeProvider(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5));
            var webhooks = new DroppingHandler();
            var port = FreePort();
            var emulator = await ConvAiEmulator.StartNewAsync(
                new ConvAiEmulatorOptions
                {
                    TimeProvider = time,
                    StepDelay = TimeSpan.FromSeconds(1),
                    WebhookUrl = new Uri($"http://127.0.0.1:{port}/webhooks/elevenlabs"),
                    WebhookSecret = WebhookSecret,
                    WebhookHandler = webhooks,
                },
                cancellationToken);
            var scenario = new Scenario(reconcile, port, time, emulator, webhooks);
            var imported = await scenario._client.PhoneNumbers.ImportTwilioAsync(
                new ImportTwilioPhoneNumberRequest { PhoneNumber = "+14155550100", Label = "Scenario", Sid = "AC0123456789abcdef0123456789abcdef", Token = "twilio-token" },
                cancellationToken);
            scenario._phoneNumberId = imported.PhoneNumberId;
            await scenario.StartReceiverAsync(cancellationToken);
            return scenario;
        }

        /// <summary>Places <paramref name="count"/> calls, lets them finish, and waits until the emulator sent their webhooks (or failed to).</summary>
        public async Task FinishCallsAsync(int count, CancellationToken cancellationToken)
        {
            var ids = new List<string>();
            for (var i = 0; i < count; i++)
            {
                var call = await _client.Calls.StartTwilioCallAsync(
                    new StartTwilioCallRequest { AgentId = AgentId, AgentPhoneNumberId = _phoneNumberId, ToNumber = $"+4477009{++_calls:D5}" },
                    cancellationToken);
                ids.Add(call.ConversationId!);
            }

            _time.Advance(TimeSpan.FromSeconds(3)); // every step of the calls: they are done and their webhooks go out
            foreach (var id in ids)
            {
                await Emulator.WaitForWebhookAsync("post_call_transcription", id, cancellationToken);
            }
        }

        public async Task StartReceiverAsync(CancellationToken cancellationToken)
        {
            var directory = SampleOutput.Directory("WebhookReceiver");
            var dll = Path.Combine(directory, "WebhookReceiver.dll");
            Assert.That(File.Exists(dll), Is.True, $"build the solution first: {dll} is missing");
            var start = new ProcessStartInfo("dotnet") { ArgumentList = { dll }, WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            var environment = new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{_port}",
                ["ConnectionStrings__Results"] = $"Data Source={_databasePath}",
                ["ConvAi__Webhooks__Secret"] = WebhookSecret,
                ["ConvAi__ConversationInitiation__Secret"] = "init_scenario_secret",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            if (_reconcile)
            {
                environment["ConvAi__ApiKey"] = Emulator.ApiKey;
                environment["ConvAi__BaseAddress"] = Emulator.BaseAddress.ToString();
                environment["ConvAi__Webhooks__Reconcile__Interval"] = "00:00:01";
                environment["ConvAi__Webhooks__Reconcile__GracePeriod"] = "00:00:01";
                environment["ConvAi__Webhooks__Reconcile__AgentIds__0"] = AgentId;
            }

            foreach (var (name, value) in environment)
            {
                start.Environment[name] = value;
            }

            _receiver = Process.Start(start)!;
            _receiver.OutputDataReceived += (_, _) => { };
            _receiver.ErrorDataReceived += (_, _) => { };
            _receiver.BeginOutputReadLine();
            _receiver.BeginErrorReadLine();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await WaitUntilAsync(
                async () =>
                {
                    Assert.That(_receiver.HasExited, Is.False, "the sample exited while starting");
                    try
                    {
                        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{_port}/conversations"), cancellationToken);
                        return response.StatusCode == HttpStatusCode.OK;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                cancellationToken);
        }

        /// <summary>SIGKILL: no shutdown, no drain, no lease given back.</summary>
        public async Task KillAsync(CancellationToken cancellationToken)
        {
            _receiver!.Kill(entireProcessTree: true);
            await _receiver.WaitForExitAsync(cancellationToken);
            _receiver.Dispose();
            _receiver = null;
        }

        public long Count(string sql)
        {
            using var connection = new SqliteConnection($"Data Source={_databasePath};Pooling=False;Default Timeout=30");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
        }

        public Task WaitUntilAsync(Func<bool> done, CancellationToken cancellationToken) => WaitUntilAsync(() => Task.FromResult(done()), cancellationToken);

        /// <summary>Polls every 100 ms until <paramref name="done"/>, failing after 60 seconds.</summary>
        public static async Task WaitUntilAsync(Func<Task<bool>> done, CancellationToken cancellationToken)
        {
            for (var i = 0; i < 600; i++)
            {
                if (await done())
                {
                    return;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }

            Assert.Fail("the condition was not met within 60 seconds");
        }

        public async ValueTask DisposeAsync()
        {
            if (_receiver is not null)
            {
                _receiver.Kill(entireProcessTree: true);
                await _receiver.WaitForExitAsync();
                _receiver.Dispose();
            }

            await Emulator.DisposeAsync();
            foreach (var file in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm" })
            {
                File.Delete(file);
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    /// <summary>
    /// The emulator's webhook transport: sends over the network, or, while <see cref="Drop"/> is set, sends nothing (a
    /// webhook ElevenLabs never sent).
    /// </summary>
    private sealed class DroppingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public bool Drop { get; set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Drop)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { RequestMessage = request });
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
