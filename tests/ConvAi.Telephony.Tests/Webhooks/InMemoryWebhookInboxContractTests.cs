namespace ConvAi.Telephony.Tests.Webhooks;

/// <summary>The in-memory inbox against the <see cref="IConvAiWebhookInbox"/> contract.</summary>
public class InMemoryWebhookInboxContractTests : WebhookInboxContractTests
{
    private readonly List<InMemoryWebhookInbox> _inboxes = [];

    /// <summary>An in-memory inbox lives in its instance: a second one starts empty.</summary>
    protected override bool SharedAcrossInstances => false;

    protected override IConvAiWebhookInbox CreateInbox()
    {
        var inbox = new InMemoryWebhookInbox(Time);
        _inboxes.Add(inbox);
        return inbox;
    }

    [TearDown]
    public void TearDown()
    {
        _inboxes.ForEach(inbox => inbox.Dispose());
        _inboxes.Clear();
    }
}
