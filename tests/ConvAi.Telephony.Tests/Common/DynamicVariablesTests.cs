namespace ConvAi.Telephony.Tests.Common;

public class DynamicVariablesTests
{
    [TestCase("api_token", "secret__api_token")]
    [TestCase("secret__api_token", "secret__api_token")]
    public void Secret_Name_AddsPrefixOnce(string name, string expected)
        => Assert.That(DynamicVariables.Secret(name), Is.EqualTo(expected));

    [Test]
    public void Secret_SystemName_Throws()
        => Assert.Throws<ArgumentException>(() => DynamicVariables.Secret("system__caller_id"));

    [Test]
    public void Validate_ReservedName_ThrowsNamingParameter()
    {
        var ex = Assert.Throws<ArgumentException>(() => DynamicVariables.Validate(["name", "system__time_utc"], "variables"));

        Assert.That(ex!.ParamName, Is.EqualTo("variables"));
        Assert.That(ex.Message, Does.Contain("system__time_utc"));
    }

    [Test]
    public void Validate_EmptyName_Throws()
        => Assert.Throws<ArgumentException>(() => DynamicVariables.Validate([""], "variables"));

    [Test]
    public void Validate_OrdinaryAndSecretNames_DoesNotThrow()
        => Assert.DoesNotThrow(() => DynamicVariables.Validate(["customer_name", "secret__token"], "variables"));
}
