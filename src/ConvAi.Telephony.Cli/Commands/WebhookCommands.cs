using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using ConvAi.Telephony.Testing;

namespace ConvAi.Telephony.Cli.Commands;

/// <summary><c>convai webhooks trigger</c> and <c>convai webhooks verify</c>.</summary>
internal static class WebhookCommands
{
    /// <summary>How far beyond the receivers' default tolerance <c>--stale</c> signs.</summary>
    private static readonly TimeSpan StaleMargin = TimeSpan.FromMinutes(1);

    public static Command Create(CliEnvironment environment) =>
        new("webhooks", "Send signed test webhooks to a receiver, or explain why a signature fails.")
        {
            CreateTrigger(environment),
            CreateVerify(environment),
        };

    private static Command CreateTrigger(CliEnvironment environment)
    {
        var eventType = new Argument<string>("event") { Description = "The webhook type: " + string.Join(", ", EmulatedWebhookPayload.EventTypes) + "." };
        eventType.AcceptOnlyFromAmong([.. EmulatedWebhookPayload.EventTypes]);
        var url = CliOptions.Url("--url", "The receiver's webhook URL.", required: true);
        var secret = new Option<string>("--secret") { Description = "The webhook secret to sign with (never printed).", Required = true };
        var conversationId = new Option<string?>("--conversation-id") { Description = "The conversation id the payload carries (default: a new conv_cli_... id)." };
        var redeliver = new Option<int>("--redeliver") { Description = "Send the same event N more times, each re-signed later with a new t, as a sender's retry does.", DefaultValueFactory = _ => 0 };
        var redeliverDelay = new Option<int>("--redeliver-delay-ms") { Description = "Milliseconds between deliveries.", DefaultValueFactory = _ => 1000 };
        var tamper = new Option<bool>("--tamper") { Description = "Change the body after signing; a correct receiver answers 401." };
        var stale = new Option<bool>("--stale") { Description = "Sign 31 minutes in the past; a correct receiver answers 401." };
        redeliver.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 0 or > 100) { r.AddError("--redeliver must be between 0 and 100."); } });
        redeliverDelay.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) { r.AddError("--redeliver-delay-ms must not be negative."); } });

        var command = new Command("trigger", "Send a realistic signed webhook (the emulator's payload) and print each delivery's status and latency.")
        {
            eventType, url, secret, conversationId, redeliver, redeliverDelay, tamper, stale,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var target = parse.GetValue(url)!;
            var key = parse.GetValue(secret)!;
            if (string.IsNullOrWhiteSpace(key))
            {
                throw new UsageException("--secret must not be empty.");
            }

            var type = parse.GetValue(eventType)!;
            var id = parse.GetValue(conversationId) ?? "conv_cli_" + RandomNumberGenerator.GetHexString(20, lowercase: true);
            var isTampered = parse.GetValue(tamper);
            var isStale = parse.GetValue(stale);
            var expectRejection = isTampered || isStale;
            var time = environment.Time;
            var body = EmulatedWebhookPayload.Create(type, id, time.GetUtcNow());
            var sent = isTampered ? Tamper(body, id) : body;
            var deliveries = 1 + parse.GetValue(redeliver);
            var output = environment.Output;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{type} for {id} ({body.Length} bytes) -> {target}{(isTampered ? ", body changed after signing" : string.Empty)}{(isStale ? ", signed 31 min ago" : string.Empty)}"));

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var failures = 0;
            var previous = DateTimeOffset.MinValue;
            for (var attempt = 1; attempt <= deliveries; attempt++)
            {
                if (attempt > 1)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(parse.GetValue(redeliverDelay)), time, cancellationToken);
                }

                // Each delivery is signed anew; a retry always carries a later t than the one before.
                var signedAt = time.GetUtcNow();
                if (signedAt.ToUnixTimeSeconds() <= previous.ToUnixTimeSeconds())
                {
                    signedAt = previous.AddSeconds(1);
                }

                previous = signedAt;
                var header = ConvAiWebhookSignature.CreateHeader(key, body, isStale ? signedAt - ConvAiWebhookSignature.DefaultTolerance - StaleMargin : signedAt);
                using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(sent) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                request.Headers.TryAddWithoutValidation(ConvAiWebhookSignature.HeaderName, header);
                var label = attempt == 1 ? "delivery" : "redelivery";
                var started = Stopwatch.GetTimestamp();
                string outcome;
                bool ok;
                try
                {
                    using var response = await http.SendAsync(request, cancellationToken);
                    var status = (int)response.StatusCode;
                    ok = expectRejection ? status is >= 400 and < 500 : status is >= 200 and < 300;
                    outcome = $"HTTP {status} {response.ReasonPhrase}"
                        + (status == 401 && !expectRejection ? " (the receiver rejected the signature: is --secret the receiver's webhook secret?)" : string.Empty);
                }
                catch (HttpRequestException ex)
                {
                    ok = false;
                    outcome = "failed: " + ex.Message;
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    ok = false;
                    outcome = "failed: no answer within 30 s";
                }

                var elapsed = Stopwatch.GetElapsedTime(started);
                failures += ok ? 0 : 1;
                var t = header[2..header.IndexOf(',', StringComparison.Ordinal)];
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{attempt}/{deliveries} {label,-10} t={t}  {outcome}  {elapsed.TotalMilliseconds:0} ms{(ok ? string.Empty : expectRejection ? "  (expected a 4xx rejection)" : string.Empty)}"));
            }

            if (failures > 0)
            {
                await environment.Error.WriteLineAsync(expectRejection
                    ? $"{failures} of {deliveries} deliveries were not rejected: the receiver must answer 401 to a {(isTampered ? "changed body" : "stale timestamp")}."
                    : $"{failures} of {deliveries} deliveries failed (ElevenLabs retries 5xx, 429 and 408, and gives up on other codes).");
                return ExitCodes.CheckFailed;
            }

            await output.WriteLineAsync(expectRejection ? "ok: every delivery was rejected, as it should be." : "ok: every delivery was accepted.");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateVerify(CliEnvironment environment)
    {
        var secrets = new Option<string[]>("--secret") { Description = "The webhook secret (repeat for several during a rotation; never printed).", Required = true, Arity = ArgumentArity.OneOrMore };
        var header = new Option<string>("--header") { Description = "The ElevenLabs-Signature header value, t=...,v0=....", Required = true };
        var bodyFile = new Option<FileInfo>("--body") { Description = "A file holding the request body as received.", Required = true };
        var tolerance = new Option<int>("--tolerance-secs") { Description = "How old a signature may be (the receivers' default: 1800).", DefaultValueFactory = _ => (int)ConvAiWebhookSignature.DefaultTolerance.TotalSeconds };
        tolerance.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) { r.AddError("--tolerance-secs must not be negative."); } });

        var command = new Command("verify", "Check an ElevenLabs-Signature header against a body and say exactly why it fails.") { secrets, header, bodyFile, tolerance };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var keys = parse.GetValue(secrets)!.Where(s => !string.IsNullOrWhiteSpace(s)).ToArray();
            if (keys.Length == 0)
            {
                throw new UsageException("--secret must not be empty.");
            }

            var file = parse.GetValue(bodyFile)!;
            byte[] body;
            try
            {
                body = await File.ReadAllBytesAsync(file.FullName, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read the body file {file.FullName}: {ex.Message}");
            }

            var result = SignatureDiagnosis.Diagnose(
                keys, parse.GetValue(header)!, body, environment.Time.GetUtcNow(), TimeSpan.FromSeconds(parse.GetValue(tolerance)), ConvAiWebhookSignature.DefaultFutureTolerance);
            foreach (var finding in result.Findings)
            {
                await environment.Output.WriteLineAsync(finding);
            }

            await environment.Output.WriteLineAsync(result.Valid ? "valid: a receiver with these settings accepts this delivery." : "invalid: a receiver rejects this delivery (401).");
            return result.Valid ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    /// <summary>Changes the body after signing the way a man in the middle would: one more character in the conversation id.</summary>
    private static byte[] Tamper(byte[] body, string conversationId)
    {
        var text = Encoding.UTF8.GetString(body);
        var needle = "\"conversation_id\":\"" + conversationId + "\"";
        return Encoding.UTF8.GetBytes(text.Replace(needle, "\"conversation_id\":\"" + conversationId + "x\"", StringComparison.Ordinal));
    }
}
