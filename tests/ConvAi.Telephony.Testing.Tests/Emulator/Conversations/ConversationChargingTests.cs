using System.Net;
using System.Text.Json.Nodes;

namespace ConvAi.Telephony.Testing.Tests;

/// <summary>
/// Every emulated conversation carries <c>metadata.charging</c> in the shape of elevenlabs-python 2.59, consistent with
/// <c>cost</c> (credits) and <c>cost_fiat</c> (US dollars).
/// </summary>
public class ConversationChargingTests
{
    private static IEnumerable<TestCaseData> Outcomes()
    {
        // The emulator's step is 10 s: 15 s in, a call is in progress; 30 s in, it is done (or failed). A done call lasts 18 s.
        yield return new TestCaseData(null, 15, "in-progress", 0).SetName("Charging_InProgress_IsZero");
        yield return new TestCaseData(null, 30, "done", 18).SetName("Charging_Done_CoversTheWholeCall");
        yield return new TestCaseData("+447700900555", 30, "failed", 0).SetName("Charging_BusyCallee_IsZero");
    }

    [TestCaseSource(nameof(Outcomes))]
    public async Task Get_Conversation_ChargingAddsUpToCostAndCostFiat(string? busyNumber, int elapsedSecs, string status, int expectedSecs)
    {
        await using var harness = await EmulatorHarness.StartAsync(o =>
        {
            if (busyNumber is not null)
            {
                o.BusyNumbers.Add(busyNumber);
            }
        });
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync(), toNumber: busyNumber ?? "+447700900123");
        harness.Time.Advance(TimeSpan.FromSeconds(elapsedSecs));

        var json = (await harness.GetAsync($"/v1/convai/conversations/{id}")).Json;
        var metadata = json["metadata"]!;
        var charging = metadata["charging"]!;

        Assert.That(json["status"]!.GetValue<string>(), Is.EqualTo(status));
        Assert.That(metadata["call_duration_secs"]!.GetValue<int>(), Is.EqualTo(expectedSecs));
        Assert.Multiple(() =>
        {
            Assert.That(metadata["cost"]!.GetValue<long>(), Is.EqualTo(expectedSecs * 10L));
            Assert.That(charging["llm_charge"]!.GetValue<long>() + charging["platform_charge"]!.GetValue<long>(), Is.EqualTo(metadata["cost"]!.GetValue<long>()));
            Assert.That(charging["llm_price"]!.GetValue<double>() + charging["platform_price"]!.GetValue<double>(), Is.EqualTo(metadata["cost_fiat"]!.GetValue<double>()).Within(1e-9));
            Assert.That(charging["platform_usage"]!["category_usage"]!["voice"]!["credits"]!.GetValue<long>(), Is.EqualTo(charging["platform_charge"]!.GetValue<long>()));
            Assert.That(charging["platform_usage"]!["category_usage"]!["voice"]!["price"]!.GetValue<double>(), Is.EqualTo(charging["platform_price"]!.GetValue<double>()));
            Assert.That(charging["llm_usage"]!["irreversible_generation"]!["model_usage"]!.AsObject(), Has.Count.EqualTo(1));
            Assert.That(charging["is_burst"]!.GetValue<bool>(), Is.False);
        });
    }

    [Test]
    public async Task Get_DoneCall_HasEveryChargingFieldOfTheOfficialModel()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync());
        harness.FinishCalls();

        var charging = (await harness.GetAsync($"/v1/convai/conversations/{id}")).Json["metadata"]!["charging"]!.AsObject();

        // elevenlabs-python 2.59 types/conversation_charging_common_model.py, in its order.
        Assert.That(charging.Select(p => p.Key), Is.EqualTo(new[]
        {
            "dev_discount", "is_burst", "tier", "llm_usage", "llm_price", "llm_charge", "call_charge", "platform_charge",
            "platform_usage", "platform_price", "free_minutes_consumed", "free_llm_dollars_consumed", "tts_usage", "asr_usage",
        }));
    }

    [Test]
    public async Task Client_DoneCall_ReadsTypedChargingAndWebhookCarriesIt()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var id = await harness.CallAsync(await harness.ImportTwilioNumberAsync());
        harness.FinishCalls();
        var client = new ConvAiTelephonyClient(new ConvAiTelephonyOptions
        {
            ApiKey = harness.Emulator.ApiKey,
            BaseAddress = harness.Emulator.BaseAddress,
            Resilience = new ConvAiResilienceOptions { MaxRetryAttempts = 0 },
        });

        var conversation = await client.Conversations.GetAsync(id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var webhook = await harness.Emulator.WaitForWebhookAsync("post_call_transcription", id, timeout.Token);

        var charging = conversation.Metadata!.Charging!;
        Assert.Multiple(() =>
        {
            Assert.That(charging.PlatformCharge + charging.LlmCharge, Is.EqualTo(conversation.Metadata.Cost));
            Assert.That(charging.PlatformPrice + charging.LlmPrice, Is.EqualTo(conversation.Metadata.CostFiat).Within(1e-9));
            Assert.That(charging.PlatformUsage!.CategoryUsage!["voice"].Credits, Is.EqualTo(charging.PlatformCharge));
            Assert.That(charging.LlmUsage!.IrreversibleGeneration!.ModelUsage, Has.Count.EqualTo(1));
            Assert.That(charging.TtsUsage!.PrimaryTtsModel, Is.Not.Empty);
            Assert.That(charging.AsrUsage!.TotalTranscriptionCalls, Is.GreaterThan(0));
            Assert.That(charging.AdditionalProperties, Is.Null, "the emulator sends only fields the library knows");
            Assert.That(JsonNode.Parse(webhook.Body)!["data"]!["metadata"]!["charging"]!["platform_charge"]!.GetValue<long>(), Is.EqualTo(charging.PlatformCharge));
        });
    }
}
