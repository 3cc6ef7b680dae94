namespace ConvAi.Telephony.Tests.Common;

public class PhoneNumberFormatTests
{
    [TestCase("+14155550100", "+14155550100")]
    [TestCase("+1 415 555 0100", "+14155550100")]
    [TestCase("+1 (415) 555-0100", "+14155550100")]
    [TestCase("+1.415.555.0100", "+14155550100")]
    [TestCase(" +44 7700 900123 ", "+447700900123")]
    [TestCase("+12", "+12")]
    [TestCase("+123456789012345", "+123456789012345")]
    public void NormalizeE164_ValidInput_ReturnsDigitsWithPlus(string input, string expected)
    {
        Assert.That(PhoneNumberFormat.NormalizeE164(input), Is.EqualTo(expected));
        Assert.That(PhoneNumberFormat.TryNormalizeE164(input, out var e164), Is.True);
        Assert.That(e164, Is.EqualTo(expected));
    }

    [TestCase("14155550100")]
    [TestCase("+")]
    [TestCase("+1")]
    [TestCase("+0155550100")]
    [TestCase("+1234567890123456")]
    [TestCase("+1-415-CALL-NOW")]
    [TestCase("++14155550100")]
    [TestCase("+1/415/5550100")]
    [TestCase("")]
    [TestCase("   ")]
    public void NormalizeE164_InvalidInput_ThrowsArgumentException(string input)
    {
        var ex = Assert.Throws<ArgumentException>(() => PhoneNumberFormat.NormalizeE164(input));
        Assert.That(ex!.ParamName, Is.EqualTo("value"));
        Assert.That(PhoneNumberFormat.TryNormalizeE164(input, out var e164), Is.False);
        Assert.That(e164, Is.Empty);
    }

    [Test]
    public void TryNormalizeE164_Null_ReturnsFalse()
    {
        Assert.That(PhoneNumberFormat.TryNormalizeE164(null, out var e164), Is.False);
        Assert.That(e164, Is.Empty);
    }
}
