using System.Text.Json.Nodes;
using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.BatchCalls;

/// <summary><c>BatchCalls.WatchAsync</c>: recipient status changes streamed from polls with backoff on the fake clock, until the batch ends.</summary>
public class BatchCallWatchTests
{
    private static JsonObject Batch(string status, params (string Id, string Status)[] recipients)
    {
        var json = JsonNode.Parse(Resources.Read("BatchCalls/get.json"))!.AsObject();
        json["status"] = status;
        var list = new JsonArray();
        foreach (var (id, recipientStatus) in recipients)
        {
            list.Add((JsonNode)new JsonObject
            {
                ["id"] = id,
                ["status"] = recipientStatus,
                ["created_at_unix"] = 1,
                ["updated_at_unix"] = 2,
                ["conversation_id"] = recipientStatus == "pending" ? null : "conv_" + id,
            });
        }

        json["recipients"] = list;
        return json;
    }

    [Test]
    public async Task Watch_YieldsEachChangeOnceAndEndsWithTheBatch()
    {
        var time = new SteppedTime();
        using var fixture = new ClientFixture(time: time);
        var batchId = JsonNode.Parse(Resources.Read("BatchCalls/get.json"))!["id"]!.GetValue<string>();
        JsonObject[] answers =
        [
            Batch("in_progress", ("r1", "pending"), ("r2", "pending")),
            Batch("in_progress", ("r1", "pending"), ("r2", "pending")),
            Batch("in_progress", ("r1", "in_progress"), ("r2", "pending")),
            Batch("completed", ("r1", "completed"), ("r2", "voicemail")),
        ];
        var served = 0;
        fixture.Mock.When(HttpMethod.Get, ClientFixture.Url($"/v1/convai/batch-calling/{batchId}"))
            .With(_ => time.MarkRequest())
            .Respond(_ => new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            {
                Content = new StringContent(answers[Math.Min(served++, answers.Length - 1)].ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            });

        var updates = new List<BatchCallRecipientUpdate>();
        var watching = Task.Run(async () =>
        {
            await foreach (var update in fixture.Client.BatchCalls.WatchAsync(batchId))
            {
                updates.Add(update);
            }
        });
        var delays = await time.RunAsync(watching);

        Assert.That(
            updates.Select(u => $"{u.Recipient.Id}:{u.PreviousStatus?.Value ?? "-"}>{u.Recipient.Status}@{u.BatchStatus}"),
            Is.EqualTo(new[]
            {
                "r1:->pending@in_progress",
                "r2:->pending@in_progress",
                "r1:pending>in_progress@in_progress",
                "r1:in_progress>completed@completed",
                "r2:pending>voicemail@completed",
            }));
        // A poll that saw a change starts the delays over; one that saw none grows them.
        Assert.That(delays, Is.EqualTo(new[] { 5, 7.5, 5 }.Select(TimeSpan.FromSeconds)));
        Assert.That(updates.Select(u => u.BatchCallId).Distinct(), Is.EqualTo(new[] { batchId }));
    }

    [Test]
    public void Watch_RejectsAnEmptyIdAndBadOptions()
    {
        using var fixture = new ClientFixture();

        Assert.Throws<ArgumentException>(() => fixture.Client.BatchCalls.WatchAsync(" "));
        Assert.Throws<ArgumentException>(() => fixture.Client.BatchCalls.WatchAsync("batch_1", new BatchCallWatchOptions { PollBackoffFactor = 0 }));
    }
}
