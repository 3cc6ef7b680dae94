using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>A started emulator on a fake clock, with a raw HttpClient that sends the right API key.</summary>
internal sealed class EmulatorHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(10);

    private EmulatorHarness(ConvAiEmulator emulator, FakeTimeProvider time, HttpClient http)
    {
        Emulator = emulator;
        Time = time;
        Http = http;
    }

    public ConvAiEmulator Emulator { get; }

    public FakeTimeProvider Time { get; }

    public HttpClient Http { get; }

    public static async Task<EmulatorHarness> StartAsync(Action<ConvAiEmulatorOptions>? configure = null)
    {
        var time = new FakeTimeProvider(Start);
        var options = new ConvAiEmulatorOptions { TimeProvider = time, StepDelay = Step };
        configure?.Invoke(options);
        var emulator = await ConvAiEmulator.StartNewAsync(options);
        var http = new HttpClient { BaseAddress = emulator.BaseAddress };
        http.DefaultRequestHeaders.Add("xi-api-key", emulator.ApiKey);
        return new EmulatorHarness(emulator, time, http);
    }

    /// <summary>Moves the fake clock past every step of a call, so conversations are done (or failed).</summary>
    public void FinishCalls() => Time.Advance(Step * 3);

    public Task<ApiResponse> GetAsync(string path) => SendAsync(HttpMethod.Get, path, null);

    public Task<ApiResponse> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null);

    public Task<ApiResponse> PostAsync(string path, string json) => SendAsync(HttpMethod.Post, path, json);

    public Task<ApiResponse> PatchAsync(string path, string json) => SendAsync(HttpMethod.Patch, path, json);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? json)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        return new ApiResponse(response.StatusCode, response.Content.Headers.ContentType, response.Headers, bytes);
    }

    public async Task<string> ImportTwilioNumberAsync(string number = "+14155550100", string? agentId = null)
    {
        var body = new JsonObject { ["provider"] = "twilio", ["phone_number"] = number, ["label"] = "Support", ["sid"] = "AC123", ["token"] = "secret-token" };
        if (agentId is not null)
        {
            body["agent_id"] = agentId;
        }

        var response = await PostAsync("/v1/convai/phone-numbers", body.ToJsonString());
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
        return response.Json["phone_number_id"]!.GetValue<string>();
    }

    public async Task<string> ImportSipNumberAsync(string number = "+14155550101")
    {
        var response = await PostAsync(
            "/v1/convai/phone-numbers",
            "{\"provider\":\"sip_trunk\",\"phone_number\":\"" + number + "\",\"label\":\"PBX\","
            + "\"outbound_trunk_config\":{\"address\":\"sip.example.com\",\"transport\":\"tls\",\"credentials\":{\"username\":\"pbx\",\"password\":\"pw\"}}}");
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
        return response.Json["phone_number_id"]!.GetValue<string>();
    }

    /// <summary>Places a Twilio outbound call and returns its conversation id.</summary>
    public async Task<string> CallAsync(string phoneNumberId, string toNumber = "+447700900123", string agentId = "agent_1", string? clientDataJson = null)
    {
        var clientData = clientDataJson is null ? string.Empty : $",\"conversation_initiation_client_data\":{clientDataJson}";
        var response = await PostAsync(
            "/v1/convai/twilio/outbound-call",
            $$"""{"agent_id":"{{agentId}}","agent_phone_number_id":"{{phoneNumberId}}","to_number":"{{toNumber}}"{{clientData}}""" + "}");
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
        return response.Json["conversation_id"]!.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}

/// <summary>A buffered response.</summary>
internal sealed record ApiResponse(HttpStatusCode Status, MediaTypeHeaderValue? ContentType, HttpResponseHeaders Headers, byte[] Bytes)
{
    public string Text => Encoding.UTF8.GetString(Bytes);

    public JsonNode Json => JsonNode.Parse(Bytes)!;

    /// <summary>The single 422 error's <c>loc</c> joined with dots, and its <c>type</c>.</summary>
    public (string Loc, string Type) SingleValidationError()
    {
        Assert.That(Status, Is.EqualTo(HttpStatusCode.UnprocessableEntity), Text);
        var detail = Json["detail"]!.AsArray();
        Assert.That(detail, Has.Count.EqualTo(1), Text);
        var loc = string.Join('.', detail[0]!["loc"]!.AsArray().Select(n => n!.ToJsonString().Trim('"')));
        Assert.That(detail[0]!["msg"]!.GetValue<string>(), Is.Not.Empty);
        return (loc, detail[0]!["type"]!.GetValue<string>());
    }

    /// <summary>The object-shaped error's <c>detail.code</c>, after checking <c>status</c> carries the same value.</summary>
    public string ErrorCode()
    {
        var detail = Json["detail"]!.AsObject();
        Assert.That(detail["status"]!.GetValue<string>(), Is.EqualTo(detail["code"]!.GetValue<string>()));
        return detail["code"]!.GetValue<string>();
    }
}
