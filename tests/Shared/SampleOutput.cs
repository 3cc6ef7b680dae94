namespace ConvAi.Telephony.Shared;

/// <summary>Where a sample's build output is, for tests that run a sample as a process of its own.</summary>
internal static class SampleOutput
{
    /// <summary>
    /// samples/<paramref name="sample"/>/bin/&lt;configuration&gt;/net10.0 in this checkout: the tests run from
    /// bin/&lt;configuration&gt;/&lt;framework&gt;/..., and the sample is built with the same configuration.
    /// </summary>
    public static string Directory(string sample)
    {
        var directory = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ConvAi.Telephony.sln")))
        {
            directory = directory.Parent;
        }

        var debug = TestContext.CurrentContext.TestDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal);
        return Path.Combine(directory!.FullName, "samples", sample, "bin", debug ? "Debug" : "Release", "net10.0");
    }
}
