using Microsoft.Extensions.Configuration;
using RealtimeConsole;

namespace ConvAi.Telephony.Samples.Tests.RealtimeConsole;

/// <summary>The RealtimeConsole sample's conversation, run against its in-process emulator agent with typed input.</summary>
public class RealtimeConsoleTests
{
    [Test]
    public async Task RunAsync_WithoutApiKey_TalksToTheEmulatorAgentAndEnds()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["CUSTOMER_NAME"] = "Bo" }).Build();
        using var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var exitCode = await RealtimeConversation.RunAsync(configuration, new StringReader("Where is my order?\ngoodbye\n"), output, timeout.Token);

        var text = output.ToString();
        Assert.That(exitCode, Is.EqualTo(0), text);
        Assert.That(text, Does.Contain("in-process emulator"));
        Assert.That(text, Does.Contain("agent: Hello Bo! This is the order desk. How can I help?"));
        Assert.That(text, Does.Contain("(tool get_order_status -> Order A-1001 shipped yesterday and arrives tomorrow.)"));
        Assert.That(text, Does.Contain("agent: Order A-1001 shipped yesterday and arrives tomorrow. Anything else?"));
        Assert.That(text, Does.Contain("agent: Thank you, Bo. Goodbye!"));
        Assert.That(text, Does.Contain("Conversation ended (1000 Normal"));
    }

    [Test]
    public async Task RunAsync_EmptyLine_EndsFromTheClient()
    {
        var configuration = new ConfigurationBuilder().Build();
        using var output = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var exitCode = await RealtimeConversation.RunAsync(configuration, new StringReader("\n"), output, timeout.Token);

        Assert.That(exitCode, Is.EqualTo(0), output.ToString());
        Assert.That(output.ToString(), Does.Contain("Conversation ended (1000 Normal)."));
    }
}
