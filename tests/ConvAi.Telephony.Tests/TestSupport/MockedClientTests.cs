namespace ConvAi.Telephony.Tests.TestSupport;

/// <summary>
/// The base of the fixtures that test one API area against MockHttp: each test gets a fresh <see cref="ClientFixture"/>
/// (the real container, MockHttp as the primary handler), disposed after it.
/// </summary>
public abstract class MockedClientTests
{
    private ClientFixture? _fixture;

    /// <summary>The current test's client, mock and clock.</summary>
    private protected ClientFixture Fixture => _fixture ?? throw new InvalidOperationException("The fixture exists only while a test runs.");

    [SetUp]
    public void CreateFixture() => _fixture = new ClientFixture(Configure);

    [TearDown]
    public void DisposeFixture()
    {
        _fixture?.Dispose();
        _fixture = null;
    }

    /// <summary>Sets the options of each test's client, after the fixture's own (the API key, no retries).</summary>
    private protected virtual void Configure(ConvAiTelephonyOptions options)
    {
    }
}
