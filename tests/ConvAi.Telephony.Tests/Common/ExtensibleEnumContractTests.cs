using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ConvAi.Telephony;

namespace ConvAi.Telephony.Tests.Common;

/// <summary>
/// The contract of every extensible enum struct (core and ASP.NET Core add-on), found by reflection, so a new
/// enum is covered without a new test: the members the generator writes behave like the hand-written ones did.
/// </summary>
public class ExtensibleEnumContractTests
{
    private const string Unknown = "value-from-the-future";

    // Reflection-based, so that it reads each type's own [JsonConverter] attribute.
    private static readonly JsonSerializerOptions Reflection = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    public static IEnumerable<Type> EnumTypes() =>
        typeof(ConversationStatus).Assembly.GetExportedTypes()
            .Where(t => t.IsValueType && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IExtensibleEnum<>)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    [Test]
    public void EnumTypes_AreTheTwentyThreeStructs()
        => Assert.That(EnumTypes().Select(t => t.Name), Is.EquivalentTo(new[]
        {
            "BatchCallRecipientStatus", "BatchCallStatus", "ConversationAudioFormat", "ConversationFeedbackScore", "ConversationInitiationSource", "ConversationStatus",
            "EvaluationResult", "PhoneCallType", "ToolType", "TranscriptRole", "RateLimitErrorCode", "LivekitStack", "MediaCodec",
            "PhoneNumberProvider", "SipMediaEncryption", "SipTransport", "TelephonyDirection",
            "CallInitiationFailureProvider", "CallInitiationFailureReason", "ConvAiWebhookEventType",
            "SipMessageDirection", "WebhookAuthType", "WorkspaceWebhookEventType",
        }));

    [TestCaseSource(nameof(EnumTypes))]
    public void EnumType_HasPublicConverterAttributeAndEquatable(Type type)
    {
        var converter = type.GetCustomAttribute<JsonConverterAttribute>()?.ConverterType;

        Assert.That(converter, Is.EqualTo(typeof(ExtensibleEnumConverter<>).MakeGenericType(type)));
        Assert.That(converter!.IsPublic && converter.GetConstructor(Type.EmptyTypes) is { IsPublic: true }, Is.True,
            "a source-generated JsonSerializerContext in another assembly instantiates the converter");
        Assert.That(typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type), Is.True);
        Assert.That(type.IsDefined(typeof(System.Runtime.CompilerServices.IsReadOnlyAttribute)), Is.True, "readonly struct");
    }

    [TestCaseSource(nameof(EnumTypes))]
    public void EnumType_FollowsTheContract(Type type)
        => typeof(ExtensibleEnumContractTests).GetMethod(nameof(Contract), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, null);

    private static void Contract<T>()
        where T : struct, IExtensibleEnum<T>, IEquatable<T>
    {
        var type = typeof(T);
        var known = type.GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == type).Select(p => (T)p.GetValue(null)!).ToList();
        var fromString = (Func<string, T>)Delegate.CreateDelegate(typeof(Func<string, T>), type.GetMethod("FromString")!);
        var implicitFromString = (Func<string, T>)Delegate.CreateDelegate(typeof(Func<string, T>), type.GetMethod("op_Implicit", [typeof(string)])!);
        var equal = (Func<T, T, bool>)Delegate.CreateDelegate(typeof(Func<T, T, bool>), type.GetMethod("op_Equality")!);
        var notEqual = (Func<T, T, bool>)Delegate.CreateDelegate(typeof(Func<T, T, bool>), type.GetMethod("op_Inequality")!);
        var constructor = type.GetConstructor([typeof(string)])!;

        Assert.That(known, Has.Count.GreaterThanOrEqualTo(2), $"{type.Name} has its known values as static properties");
        Assert.That(known.Select(k => k.Value).Distinct(StringComparer.Ordinal).Count(), Is.EqualTo(known.Count));
        Assert.Multiple(() =>
        {
            foreach (var value in known.Select(k => k.Value).Append(Unknown))
            {
                var parsed = JsonSerializer.Deserialize<T>($"\"{value}\"", Reflection);
                Assert.That(parsed.Value, Is.EqualTo(value), "read");
                Assert.That(JsonSerializer.Serialize(parsed, Reflection), Is.EqualTo($"\"{value}\""), "written");
                Assert.That(JsonSerializer.Serialize(new Dictionary<T, int> { [parsed] = 1 }, Reflection), Is.EqualTo($"{{\"{value}\":1}}"), "as a key");
                Assert.That(JsonSerializer.Deserialize<Dictionary<T, int>>($"{{\"{value}\":1}}", Reflection)!.Keys.Single(), Is.EqualTo(parsed));
                Assert.That(parsed.ToString(), Is.EqualTo(value));
                Assert.That(implicitFromString(value), Is.EqualTo(parsed), "implicit conversion");
                Assert.That(fromString(value), Is.EqualTo(parsed));
                Assert.That(T.Create(value), Is.EqualTo(parsed));
                Assert.That(equal(parsed, fromString(value)) && !notEqual(parsed, fromString(value)), Is.True, "==");
                Assert.That(parsed.Equals((object)fromString(value)), Is.True, "Equals(object)");
                Assert.That(parsed.GetHashCode(), Is.EqualTo(fromString(value).GetHashCode()));
                Assert.That(known.Count(k => k.Equals(parsed)), Is.EqualTo(value == Unknown ? 0 : 1));
            }

            var first = known[0];
            var upperValue = first.Value.ToUpperInvariant();
            var upper = fromString(upperValue == first.Value ? first.Value.ToLowerInvariant() : upperValue);
            Assert.That(equal(first, upper) || first.Equals(upper), Is.False, "ordinal: case matters");
            Assert.That(notEqual(first, known[1]), Is.True);
            Assert.That(first.Equals((object)first.Value), Is.False, "a string is not an enum value");

            T none = default;
            Assert.That(none.Value, Is.Null);
            Assert.That(none.ToString(), Is.EqualTo(string.Empty));
            Assert.That(none.GetHashCode(), Is.Zero);
            Assert.That(equal(none, default) && !equal(none, first), Is.True);
            Assert.That(JsonSerializer.Serialize(none, Reflection), Is.EqualTo("\"\""));

            var thrown = Assert.Throws<TargetInvocationException>(() => constructor.Invoke([null]));
            Assert.That(thrown!.InnerException, Is.TypeOf<ArgumentNullException>());
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<T>("42", Reflection));
        });
    }
}
