using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ConvAi.Telephony;

namespace ConvAi.Telephony.Tests.Common;

/// <summary>
/// The contract of every extensible enum class (core and ASP.NET Core add-on), found by reflection, so a new
/// enum is covered without a new test: the members the generator writes behave like the hand-written ones did.
/// </summary>
public class ExtensibleEnumContractTests
{
    private const string Unknown = "value-from-the-future";

    // Reflection-based, so that it reads each type's own [JsonConverter] attribute.
    private static readonly JsonSerializerOptions Reflection = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    public static IEnumerable<Type> EnumTypes() =>
        typeof(ConversationStatus).Assembly.GetExportedTypes()
            .Where(t => t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IExtensibleEnum<>)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    [Test]
    public void EnumTypes_AreTheTwentyThreeClasses()
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
        Assert.That(type.IsClass && type.IsSealed, Is.True, "sealed class (the HttpMethod shape)");
    }

    [TestCaseSource(nameof(EnumTypes))]
    public void EnumType_FollowsTheContract(Type type)
        => typeof(ExtensibleEnumContractTests).GetMethod(nameof(Contract), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(type).Invoke(null, null);

    private static void Contract<T>()
        where T : class, IExtensibleEnum<T>, IEquatable<T>
    {
        var type = typeof(T);
        var known = type.GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == type && p.Name != "Empty").Select(p => (T)p.GetValue(null)!).ToList();
        var empty = (T)type.GetProperty("Empty")!.GetValue(null)!;
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
                var parsed = JsonSerializer.Deserialize<T>($"\"{value}\"", Reflection)!;
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
                Assert.That(known.Count(k => ReferenceEquals(k, parsed)), Is.EqualTo(value == Unknown ? 0 : 1), "a known value read is its static instance");
                Assert.That(known.Count(k => ReferenceEquals(k, fromString(value))), Is.EqualTo(value == Unknown ? 0 : 1), "FromString of a known value is its static instance");
                var escaped = JsonSerializer.Deserialize<T>($"\"{string.Concat(value.Select(c => $"\\u{(int)c:x4}"))}\"", Reflection)!;
                Assert.That(escaped, Is.EqualTo(parsed), "an escaped value reads as the same value");
                Assert.That(known.Count(k => ReferenceEquals(k, escaped)), Is.EqualTo(value == Unknown ? 0 : 1), "an escaped known value is its static instance");
            }

            var first = known[0];
            var upperValue = first.Value.ToUpperInvariant();
            var upper = fromString(upperValue == first.Value ? first.Value.ToLowerInvariant() : upperValue);
            Assert.That(equal(first, upper) || first.Equals(upper), Is.False, "ordinal: case matters");
            Assert.That(notEqual(first, known[1]), Is.True);
            Assert.That(first.Equals((object)first.Value), Is.False, "a string is not an enum value");

            Assert.That(empty.Value, Is.EqualTo(string.Empty));
            Assert.That(empty.ToString(), Is.EqualTo(string.Empty));
            Assert.That(equal(empty, fromString(string.Empty)) && !equal(empty, first) && !equal(empty, null!) && equal(null!, null!), Is.True);
            Assert.That(notEqual(empty, null!) && notEqual(null!, first), Is.True);
            Assert.That(empty.Equals((T?)null), Is.False);
            Assert.That(JsonSerializer.Serialize(empty, Reflection), Is.EqualTo("\"\""));

            var thrown = Assert.Throws<TargetInvocationException>(() => constructor.Invoke([null]));
            Assert.That(thrown!.InnerException, Is.TypeOf<ArgumentNullException>());
            Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<T>("42", Reflection));
        });
    }
}
