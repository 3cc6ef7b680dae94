namespace ConvAi.Telephony.Tests;

public class SmokeTests
{
    [Test]
    public void LibraryName_IsStable() => Assert.That(ConvAiTelephonyInfo.Name, Is.EqualTo("ConvAi.Telephony"));
}
