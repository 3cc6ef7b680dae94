using System.Text.RegularExpressions;

namespace ConvAi.Telephony.Cli.Tests.Commands;

/// <summary><c>convai webhooks trigger</c> against samples/WebhookReceiver over HTTP.</summary>
public partial class WebhookTriggerTests
{
    private WebhookReceiverHost _receiver = null!;

    [OneTimeSetUp]
    public void StartReceiver() => _receiver = WebhookReceiverHost.Start();

    [OneTimeTearDown]
    public async Task StopReceiver() => await _receiver.DisposeAsync();

    [TestCase("post_call_transcription", "status", "done")]
    [TestCase("post_call_audio", "audio_bytes", "844")]
    [TestCase("call_initiation_failure", "failure_reason", "busy")]
    public async Task Trigger_EachEventType_IsAcceptedAndStoredByTheSample(string eventType, string storedField, string storedValue)
    {
        var id = "conv_trigger_" + eventType;

        var result = await Cli.RunAsync("webhooks", "trigger", eventType, "--url", _receiver.WebhookUrl.ToString(), "--secret", WebhookReceiverHost.WebhookSecret, "--conversation-id", id);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(result.Output, Does.Contain($"{eventType} for {id}"));
        Assert.That(DeliveryLines(result.Output), Has.Count.EqualTo(1));
        Assert.That(result.Output, Does.Match(@"1/1 delivery +t=\d{10}  HTTP 200 OK  \d+ ms"));
        var stored = await _receiver.WaitForStoredAsync(id, storedField);
        Assert.That(stored?[storedField]?.ToString(), Is.EqualTo(storedValue));
    }

    [Test]
    public async Task Trigger_Redeliver_ReSignsEachDeliveryWithALaterTimestampAndTheSampleStoresTheCallOnce()
    {
        var id = "conv_trigger_redeliver";

        var result = await Cli.RunAsync("webhooks", "trigger", "post_call_transcription", "--url", _receiver.WebhookUrl.ToString(), "--secret", WebhookReceiverHost.WebhookSecret,
            "--conversation-id", id, "--redeliver", "2", "--redeliver-delay-ms", "0");

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        var lines = DeliveryLines(result.Output);
        Assert.That(lines.Select(l => l.Label), Is.EqualTo(new[] { "delivery", "redelivery", "redelivery" }));
        Assert.That(lines.Select(l => l.Status), Is.All.EqualTo("HTTP 200 OK"));
        Assert.That(lines.Select(l => l.Timestamp), Is.Ordered.Ascending.And.Unique, "each retry is signed anew with a later t");
        var stored = await _receiver.WaitForStoredAsync(id, "transcript");
        Assert.That(stored?["transcript"]?.AsArray(), Has.Count.EqualTo(5), "the retries update the one stored result");
        Assert.That(stored?["processed_count"]?.GetValue<int>(), Is.EqualTo(1), "re-signed redeliveries are dispatched once");
    }

    [TestCase("--tamper")]
    [TestCase("--stale")]
    public async Task Trigger_TamperedOrStale_IsRejectedBySampleAndThatCountsAsSuccess(string flag)
    {
        var id = "conv_trigger_bad" + flag.TrimStart('-');

        var result = await Cli.RunAsync("webhooks", "trigger", "post_call_transcription", "--url", _receiver.WebhookUrl.ToString(), "--secret", WebhookReceiverHost.WebhookSecret,
            "--conversation-id", id, flag);

        Assert.That(result.ExitCode, Is.EqualTo(0), result.ToString());
        Assert.That(DeliveryLines(result.Output).Single().Status, Is.EqualTo("HTTP 401 Unauthorized"));
        Assert.That(result.Output, Does.Contain("ok: every delivery was rejected, as it should be."));
        Assert.That(await _receiver.GetStoredAsync(id), Is.Null);
        Assert.That(await _receiver.GetStoredAsync(id + "x"), Is.Null, "a tampered id must not be stored either");
    }

    [Test]
    public async Task Trigger_WrongSecret_FailsWithExitOneAndSaysWhy()
    {
        var result = await Cli.RunAsync("webhooks", "trigger", "post_call_audio", "--url", _receiver.WebhookUrl.ToString(), "--secret", "not-the-receivers-secret");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("HTTP 401 Unauthorized (the receiver rejected the signature: is --secret the receiver's webhook secret?)"));
        Assert.That(result.Error, Does.Contain("1 of 1 deliveries failed"));
    }

    [Test]
    public async Task Trigger_NothingListening_FailsWithExitOne()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = await Cli.RunAsync("webhooks", "trigger", "post_call_transcription", "--url", $"http://127.0.0.1:{port}/hook", "--secret", "s");

        Assert.That(result.ExitCode, Is.EqualTo(1), result.ToString());
        Assert.That(result.Output, Does.Contain("1/1 delivery").And.Contain("failed: "));
    }

    private static List<(string Label, long Timestamp, string Status)> DeliveryLines(string output) =>
        DeliveryLine().Matches(output).Select(m => (m.Groups[1].Value, long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[3].Value)).ToList();

    [GeneratedRegex(@"^\d+/\d+ (delivery|redelivery) +t=(\d+)  (HTTP \d+ [A-Za-z ]+?)(?:  | \()", RegexOptions.Multiline)]
    private static partial Regex DeliveryLine();
}
