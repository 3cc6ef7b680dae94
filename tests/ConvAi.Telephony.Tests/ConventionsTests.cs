using System.Reflection;
using ConvAi.Telephony.Conventions;

namespace ConvAi.Telephony.Tests;

/// <summary>
/// Conventions of the core assembly on top of the ones every public assembly follows
/// (tests/Shared/PublicApiConventionsTests.cs, which runs over the core here too).
/// </summary>
public class ConventionsTests
{
    private static readonly Assembly Core = typeof(IConvAiTelephonyClient).Assembly;

    /// <summary>Records the library makes itself (never read from or sent to the API), so they carry no wire names.</summary>
    private static readonly Type[] NotOnTheWire =
    [
        typeof(ValidationError), typeof(CallOutcome), typeof(BatchCallRecipientUpdate),
        // Webhooks: the events are read by the webhook parser (the envelope by hand, data through the wire models), the
        // failure metadata by its own converter; deliveries are the inbox's records.
        typeof(PostCallTranscriptionEvent), typeof(PostCallAudioEvent), typeof(CallInitiationFailureEvent), typeof(UnknownWebhookEvent),
        typeof(CallInitiationFailureMetadata), typeof(ConvAiWebhookDelivery), typeof(ConvAiWebhookInboxItem),
    ];

    private static IEnumerable<Type> PublicTypes() => Core.GetExportedTypes();

    private static IEnumerable<Type> CoreRecords() => PublicTypes()
        .Where(t => t.IsClass && t.IsSealed && t.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is not null)
        .Where(t => !t.Name.EndsWith("Options", StringComparison.Ordinal) && !NotOnTheWire.Contains(t) && !IsReadByHand(t));

    /// <summary>
    /// The live conversation's events and close reason: read from the agent socket with a <c>Utf8JsonReader</c> (their data sits one
    /// level down, in <c>&lt;type&gt;_event</c>), never bound by System.Text.Json, so they carry no wire names.
    /// </summary>
    private static bool IsReadByHand(Type type) => typeof(ConversationEvent).IsAssignableFrom(type) || type == typeof(ConversationCloseReason);


    [Test]
    public void WireModels_Exist()
        => Assert.That(PublicApiConventionsTests.WireModels(Core).Count(), Is.GreaterThan(30));

    /// <summary>Every core record but the options is a wire model, so the shared wire-name rules cover all of them.</summary>
    [TestCaseSource(nameof(CoreRecords))]
    public void CoreRecord_ExceptOptions_IsAWireModel(Type record)
        => Assert.That(PublicApiConventionsTests.WireModels(Core), Does.Contain(record), $"{record.Name} has no [JsonPropertyName] property.");

    [Test]
    public void AsyncMethods_Exist()
        => Assert.That(PublicApiConventionsTests.PublicAsyncMethods(Core).Count(), Is.GreaterThan(20));

    private static readonly Type[] Clients = [typeof(ConvAiTelephonyClient), typeof(PhoneNumbersClient), typeof(CallsClient), typeof(ConversationsClient), typeof(BatchCallsClient)];

    [TestCaseSource(nameof(Clients))]
    public void Client_PublicMethodsAndProperties_AreVirtualWithProtectedConstructor(Type client)
    {
        var members = client.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly);
        Assert.That(members, Is.Not.Empty);
        foreach (var method in members)
        {
            Assert.That(method.IsVirtual && !method.IsFinal, Is.True, $"{client.Name}.{method.Name} must be virtual.");
        }

        var constructor = client.GetConstructor(BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes);
        Assert.That(constructor is { IsFamily: true }, Is.True, $"{client.Name} needs a protected parameterless constructor.");
    }

    [Test]
    public void PublicTypes_AreInCoreNamespaceOrDependencyInjection()
    {
        var namespaces = PublicTypes().Select(t => t.Namespace).Distinct().ToList();

        Assert.That(namespaces, Is.SubsetOf(new[] { "ConvAi.Telephony", "Microsoft.Extensions.DependencyInjection" }));
    }
}
