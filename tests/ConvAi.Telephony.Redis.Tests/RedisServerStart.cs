namespace ConvAi.Telephony.Shared;

/// <summary>
/// The tests' start of the shared <see cref="RedisServer"/>: a fixture starts it once (<c>[OneTimeSetUp]</c>
/// <c>_redis = await RedisServer.StartAsync()</c>, <c>[OneTimeTearDown]</c> <c>await _redis.DisposeAsync()</c>) and each
/// test uses its own key prefix. Without the binary the calling test is ignored (reported as skipped, never as passed).
/// </summary>
internal sealed partial class RedisServer
{
    public static async Task<RedisServer> StartAsync(int? port = null)
    {
        if (!IsInstalled)
        {
            Assert.Ignore("redis-server is not installed (scripts/install-test-deps.sh installs it).");
        }

        return (await TryStartAsync(port))!;
    }
}
