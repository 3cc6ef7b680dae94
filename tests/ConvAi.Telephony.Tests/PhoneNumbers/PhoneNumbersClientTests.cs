using System.Net;
using ConvAi.Telephony.Tests.TestSupport;
using RichardSzalay.MockHttp;

namespace ConvAi.Telephony.Tests.PhoneNumbers;

public class PhoneNumbersClientTests : MockedClientTests
{
    [Test]
    public async Task ImportTwilioAsync_ValidRequest_PostsProviderAndNormalizedNumber()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/phone-numbers"))
            .WithHeaders("xi-api-key", ClientFixture.ApiKey)
            .Capturing(captured);
        mocked.RespondJson("""{"phone_number_id":"phnum_new"}""");

        var result = await Fixture.Client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = "+1 (415) 555-0100",
            Label = "Support",
            Sid = "AC123",
            Token = "twilio-token",
            AgentId = "agent_1",
            RegionConfig = new TwilioRegionConfig { RegionId = "ie1", Token = "region-token", EdgeLocation = "dublin" },
            EnableSms = false,
        });

        Assert.That(result.PhoneNumberId, Is.EqualTo("phnum_new"));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
        captured.AssertJsonBody("""
            {"provider":"twilio","phone_number":"+14155550100","label":"Support","sid":"AC123","token":"twilio-token",
             "agent_id":"agent_1","region_config":{"region_id":"ie1","token":"region-token","edge_location":"dublin"},"enable_sms":false}
            """);
        Assert.That(captured.Request!.Content!.Headers.ContentType!.MediaType, Is.EqualTo("application/json"));
    }

    [Test]
    public async Task ImportSipTrunkAsync_ValidRequest_PostsProviderAndTrunkConfig()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/phone-numbers")).Capturing(captured);
        mocked.RespondJson("""{"phone_number_id":"phnum_sip"}""");

        var result = await Fixture.Client.PhoneNumbers.ImportSipTrunkAsync(new ImportSipTrunkPhoneNumberRequest
        {
            PhoneNumber = "+14155550101",
            Label = "PBX",
            InboundTrunkConfig = new InboundSipTrunkConfig
            {
                AllowedAddresses = ["192.0.2.0/24"],
                MediaEncryption = SipMediaEncryption.Allowed,
                Credentials = new SipCredentials { Username = "in-user", Password = "in-pass" },
            },
            OutboundTrunkConfig = new OutboundSipTrunkConfig
            {
                Address = "sip.example.com",
                Transport = SipTransport.Tls,
                MediaEncryption = SipMediaEncryption.Required,
                Headers = new Dictionary<string, string> { ["X-Tenant"] = "acme" },
                EnabledCodecs = [MediaCodec.G722, MediaCodec.Pcmu],
            },
        });

        Assert.That(result.PhoneNumberId, Is.EqualTo("phnum_sip"));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
        captured.AssertJsonBody("""
            {"provider":"sip_trunk","phone_number":"+14155550101","label":"PBX",
             "inbound_trunk_config":{"allowed_addresses":["192.0.2.0/24"],"media_encryption":"allowed","credentials":{"username":"in-user","password":"in-pass"}},
             "outbound_trunk_config":{"address":"sip.example.com","transport":"tls","media_encryption":"required","headers":{"X-Tenant":"acme"},"enabled_codecs":["G722/8000","PCMU/8000"]}}
            """);
    }

    [Test]
    public async Task ImportExotelAsync_ValidRequest_PostsProviderAndCredentials()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Post, ClientFixture.Url("/v1/convai/phone-numbers")).Capturing(captured);
        mocked.RespondJson("""{"phone_number_id":"phnum_exotel"}""");

        var result = await Fixture.Client.PhoneNumbers.ImportExotelAsync(new ImportExotelPhoneNumberRequest
        {
            PhoneNumber = "+91 98765 43210",
            Label = "India line",
            AccountSid = "acc_1",
            ApiKey = "ex_key",
            ApiToken = "ex_token",
            AppId = "app_1",
            ApiSubdomain = "api.in.exotel.com",
        });

        Assert.That(result.PhoneNumberId, Is.EqualTo("phnum_exotel"));
        captured.AssertJsonBody("""
            {"provider":"exotel","phone_number":"+919876543210","label":"India line","account_sid":"acc_1","api_key":"ex_key",
             "api_token":"ex_token","app_id":"app_1","api_subdomain":"api.in.exotel.com"}
            """);
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task ListAsync_BareArrayWithEveryProvider_ParsesAllWithoutThrowing()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/phone-numbers"))
            .WithExactQueryString("")
            .WithHeaders("xi-api-key", ClientFixture.ApiKey);
        mocked.RespondResource("PhoneNumbers/list.json");

        var numbers = await Fixture.Client.PhoneNumbers.ListAsync();

        Assert.That(numbers, Has.Count.EqualTo(4));
        var twilio = numbers[0];
        Assert.Multiple(() =>
        {
            Assert.That(twilio.Provider, Is.EqualTo(PhoneNumberProvider.Twilio));
            Assert.That(twilio.PhoneNumberId, Is.EqualTo("phnum_twilio_1"));
            Assert.That(twilio.Number, Is.EqualTo("+14155550100"));
            Assert.That(twilio.Label, Is.EqualTo("Support"));
            Assert.That(twilio.SupportsInbound, Is.True);
            Assert.That(twilio.SupportsOutbound, Is.True);
            Assert.That(twilio.AssignedAgent!.AgentId, Is.EqualTo("agent_1"));
            Assert.That(twilio.AssignedAgent.AgentName, Is.EqualTo("Support agent"));
            Assert.That(twilio.AssignedAgent.Environment, Is.EqualTo("production"));
            Assert.That(twilio.AssignedAgent.BranchId, Is.Null);
            Assert.That(twilio.OutboundTrunk, Is.Null);
        });

        var sip = numbers[1];
        Assert.Multiple(() =>
        {
            Assert.That(sip.Provider, Is.EqualTo(PhoneNumberProvider.SipTrunk));
            Assert.That(sip.LivekitStack, Is.EqualTo(LivekitStack.Standard));
            Assert.That(sip.StoreSipMessages, Is.False);
            Assert.That(sip.AssignedAgent, Is.Null);
            Assert.That(sip.OutboundTrunk!.Address, Is.EqualTo("sip.example.com"));
            Assert.That(sip.OutboundTrunk.Transport, Is.EqualTo(SipTransport.Tls));
            Assert.That(sip.OutboundTrunk.MediaEncryption, Is.EqualTo(SipMediaEncryption.Required));
            Assert.That(sip.OutboundTrunk.Headers!["X-Tenant"], Is.EqualTo("acme"));
            Assert.That(sip.OutboundTrunk.AttributesToHeaders!["customer_id"], Is.EqualTo("X-Customer"));
            Assert.That(sip.OutboundTrunk.HasAuthCredentials, Is.True);
            Assert.That(sip.OutboundTrunk.Username, Is.EqualTo("trunk-user"));
            Assert.That(sip.OutboundTrunk.HasOutboundTrunk, Is.True);
            Assert.That(sip.OutboundTrunk.EnabledCodecs, Is.EqualTo(new[] { MediaCodec.G722, MediaCodec.Pcmu }));
            Assert.That(sip.ProviderConfig!.Address, Is.EqualTo("sip.example.com"));
            Assert.That(sip.InboundTrunk!.AllowedAddresses, Is.EqualTo(new[] { "192.0.2.0/24" }));
            Assert.That(sip.InboundTrunk.AllowedNumbers, Is.Null);
            Assert.That(sip.InboundTrunk.MediaEncryption, Is.EqualTo(SipMediaEncryption.Allowed));
            Assert.That(sip.InboundTrunk.HasAuthCredentials, Is.False);
            Assert.That(sip.InboundTrunk.RemoteDomains, Is.EqualTo(new[] { "pbx.example.com" }));
            Assert.That(sip.InboundTrunk.AttributesToHeaders, Is.Empty);
        });

        Assert.That(numbers[2].Provider, Is.EqualTo(PhoneNumberProvider.Exotel));
        var unknown = numbers[3];
        Assert.Multiple(() =>
        {
            Assert.That(unknown.Provider!.Value, Is.EqualTo("vonage"));
            Assert.That(unknown.LivekitStack!.Value, Is.EqualTo("quantum"));
            Assert.That(unknown.AdditionalProperties!.ContainsKey("brand_new_field"), Is.True);
        });
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task ListAsync_WithFilters_SendsQueryString()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/phone-numbers"))
            .WithExactQueryString("provider=sip_trunk&agent_id=agent_1&branch_id=br_1");
        mocked.RespondJson("[]");

        var numbers = await Fixture.Client.PhoneNumbers.ListAsync(new PhoneNumberListOptions
        {
            Provider = PhoneNumberProvider.SipTrunk,
            AgentId = "agent_1",
            BranchId = "br_1",
        });

        Assert.That(numbers, Is.Empty);
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task GetAsync_Id_GetsOneNumber()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Get, ClientFixture.Url("/v1/convai/phone-numbers/phnum_twilio_1"));
        mocked.RespondJson("""{"phone_number":"+14155550100","label":"Support","phone_number_id":"phnum_twilio_1","provider":"twilio"}""");

        var number = await Fixture.Client.PhoneNumbers.GetAsync("phnum_twilio_1");

        Assert.That(number.PhoneNumberId, Is.EqualTo("phnum_twilio_1"));
        Assert.That(number.Provider, Is.EqualTo(PhoneNumberProvider.Twilio));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task UpdateAsync_OnlySetFields_PatchesWithoutNulls()
    {
        var captured = new CapturedRequest();
        var mocked = Fixture.Mock.Expect(HttpMethod.Patch, ClientFixture.Url("/v1/convai/phone-numbers/phnum_sip_1")).Capturing(captured);
        mocked.RespondJson("""{"phone_number":"+14155550101","label":"PBX 2","phone_number_id":"phnum_sip_1","provider":"sip_trunk","livekit_stack":"static"}""");

        var number = await Fixture.Client.PhoneNumbers.UpdateAsync("phnum_sip_1", new UpdatePhoneNumberRequest
        {
            AgentId = "agent_2",
            Label = "PBX 2",
            LivekitStack = LivekitStack.Static,
        });

        captured.AssertJsonBody("""{"agent_id":"agent_2","label":"PBX 2","livekit_stack":"static"}""");
        Assert.That(number.Label, Is.EqualTo("PBX 2"));
        Assert.That(number.LivekitStack, Is.EqualTo(LivekitStack.Static));
        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [Test]
    public async Task DeleteAsync_Answers200Json_Completes()
    {
        var mocked = Fixture.Mock.Expect(HttpMethod.Delete, ClientFixture.Url("/v1/convai/phone-numbers/phnum_1"))
            .WithHeaders("xi-api-key", ClientFixture.ApiKey);
        mocked.RespondJson("{}");

        await Fixture.Client.PhoneNumbers.DeleteAsync("phnum_1");

        Assert.That(Fixture.Mock.GetMatchCount(mocked), Is.EqualTo(1));
    }

    [TestCase("")]
    [TestCase("  ")]
    public void GetAsync_EmptyId_ThrowsArgumentExceptionAndSendsNothing(string id)
    {
        var ex = Assert.ThrowsAsync<ArgumentException>(() => Fixture.Client.PhoneNumbers.GetAsync(id));
        Assert.That(ex!.ParamName, Is.EqualTo("phoneNumberId"));
        Fixture.Mock.VerifyNoOutstandingRequest();
    }

    [TestCase("4155550100")]
    [TestCase("+0155550100")]
    [TestCase("+1415555010012345")]
    [TestCase("")]
    public void ImportTwilioAsync_InvalidNumber_ThrowsNamingParameterAndSendsNothing(string number)
    {
        var fallback = Fixture.Mock.When("*").Respond(HttpStatusCode.OK);

        var ex = Assert.ThrowsAsync<ArgumentException>(() => Fixture.Client.PhoneNumbers.ImportTwilioAsync(new ImportTwilioPhoneNumberRequest
        {
            PhoneNumber = number,
            Label = "x",
            Sid = "AC1",
            Token = "t",
        }));

        Assert.That(ex!.ParamName, Is.EqualTo("request.PhoneNumber"));
        Assert.That(Fixture.Mock.GetMatchCount(fallback), Is.Zero);
    }

    [Test]
    public void ImportTwilioRequest_ToString_DoesNotContainToken()
    {
        var request = new ImportTwilioPhoneNumberRequest { PhoneNumber = "+14155550100", Label = "x", Sid = "AC1", Token = "super-secret-token" };

        Assert.That(request.ToString(), Does.Not.Contain("super-secret-token"));
    }
}
