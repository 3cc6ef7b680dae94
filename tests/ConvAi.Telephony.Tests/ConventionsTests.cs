using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace ConvAi.Telephony.Tests;

/// <summary>Reflects over the public API so the conventions hold without review.</summary>
public partial class ConventionsTests
{
    private static readonly Assembly Core = typeof(IConvAiTelephonyClient).Assembly;

    /// <summary>Records the library makes itself (never read from or sent to the API), so they carry no wire names.</summary>
    private static readonly Type[] NotOnTheWire = [typeof(ValidationError), typeof(CallOutcome), typeof(BatchCallRecipientUpdate)];

    private static IEnumerable<Type> PublicTypes() => Core.GetExportedTypes();

    private static IEnumerable<Type> WireModels() => PublicTypes()
        .Where(t => t.IsClass && t.IsSealed && t.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is not null)
        .Where(t => !t.Name.EndsWith("Options", StringComparison.Ordinal) && !NotOnTheWire.Contains(t));


    [Test]
    public void WireModels_Exist()
        => Assert.That(WireModels().Count(), Is.GreaterThan(30));

    [TestCaseSource(nameof(WireModels))]
    public void WireModel_EveryProperty_HasExplicitSnakeCaseJsonName(Type model)
    {
        foreach (var property in model.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<JsonExtensionDataAttribute>() is not null)
            {
                continue;
            }

            var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name;
            Assert.That(name, Is.Not.Null, $"{model.Name}.{property.Name} has no [JsonPropertyName].");
            if (name != "callSid")
            {
                Assert.That(SnakeCase().IsMatch(name!), Is.True, $"{model.Name}.{property.Name} is named '{name}', not snake_case.");
            }
        }
    }

    [TestCaseSource(nameof(WireModels))]
    public void WireModel_Properties_AreInitOnlyExceptExtensionData(Type model)
    {
        foreach (var property in model.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
        {
            var initOnly = property.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit));
            var extensionData = property.GetCustomAttribute<JsonExtensionDataAttribute>() is not null;
            Assert.That(initOnly || extensionData, Is.True, $"{model.Name}.{property.Name} should be init-only.");
        }
    }

    private static IEnumerable<MethodInfo> PublicAsyncMethods() => PublicTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => !m.IsSpecialName)
        .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType)
            || (m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>))
            || m.ReturnType == typeof(ValueTask)
            || (m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(ValueTask<>)));

    [Test]
    public void AsyncMethods_Exist()
        => Assert.That(PublicAsyncMethods().Count(), Is.GreaterThan(20));

    [TestCaseSource(nameof(PublicAsyncMethods))]
    public void AsyncMethod_NameAndCancellationToken_FollowConvention(MethodInfo method)
    {
        Assert.That(method.Name, Does.EndWith("Async"), $"{method.DeclaringType!.Name}.{method.Name}");
        var last = method.GetParameters().LastOrDefault();
        Assert.That(last?.ParameterType, Is.EqualTo(typeof(CancellationToken)), $"{method.DeclaringType!.Name}.{method.Name} must take a CancellationToken last.");
        Assert.That(last!.Name, Is.EqualTo("cancellationToken"));
        Assert.That(last.HasDefaultValue, Is.True, $"{method.DeclaringType!.Name}.{method.Name}: the token must default.");
    }

    [Test]
    public void PublicApi_NoMember_ExposesRefitTypes()
    {
        var refit = typeof(Refit.RefitSettings).Assembly;
        var offenders = new List<string>();
        foreach (var type in PublicTypes())
        {
            if (type.BaseType?.Assembly == refit || type.GetInterfaces().Any(i => i.Assembly == refit))
            {
                offenders.Add(type.Name);
            }

            foreach (var member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                var types = member switch
                {
                    MethodInfo m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType),
                    PropertyInfo p => [p.PropertyType],
                    FieldInfo f => [f.FieldType],
                    ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
                    _ => [],
                };
                if (types.SelectMany(Flatten).Any(t => t.Assembly == refit))
                {
                    offenders.Add($"{type.Name}.{member.Name}");
                }
            }
        }

        Assert.That(offenders, Is.Empty);
    }

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

    private static IEnumerable<Type> Flatten(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Flatten(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : [])
        {
            foreach (var inner in Flatten(argument))
            {
                yield return inner;
            }
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
