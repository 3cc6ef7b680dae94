using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ConvAi.Telephony.Conventions;

/// <summary>
/// Reflects over every public assembly a test project names, so the API conventions hold in each package without
/// review. The file is compiled into each test project (tests/Directory.Build.props); a test project checks the
/// assembly named like itself without <c>.Tests</c>, plus any it lists as <c>&lt;ConventionsAssembly Include="..." /&gt;</c>.
/// </summary>
public sealed partial class PublicApiConventionsTests
{
    private const string MetadataKey = "ConventionsAssembly";

    /// <summary>Namespaces that hold extension methods by the framework's convention, besides the assembly's own.</summary>
    private static readonly string[] ExtensionNamespaces =
    [
        "Microsoft.Extensions.DependencyInjection", "Microsoft.AspNetCore.Builder",
        // Aspire integrations put their extensions where Aspire's own are: the AppHost's and the host builder's.
        "Aspire.Hosting", "Aspire.Hosting.ApplicationModel", "Microsoft.Extensions.Hosting",
    ];

    private static IEnumerable<Assembly> Subjects() => typeof(PublicApiConventionsTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(a => a.Key == MetadataKey)
        .Select(a => Assembly.Load(a.Value!));

    private static IEnumerable<TestCaseData> Cases<T>(Func<Assembly, IEnumerable<T>> select, Func<T, string> name) =>
        Subjects().SelectMany(assembly => select(assembly).Select(item => new TestCaseData(item).SetArgDisplayNames($"{assembly.GetName().Name}: {name(item)}")));

    private static IEnumerable<TestCaseData> Assemblies() => Cases<Assembly>(a => [a], _ => "assembly");

    [Test]
    public void Subjects_AreConfigured() => Assert.That(Subjects().ToList(), Is.Not.Empty);

    [TestCaseSource(nameof(Assemblies))]
    public void Assembly_HasPublicTypes(Assembly assembly) => Assert.That(assembly.GetExportedTypes(), Is.Not.Empty);

    /// <summary>Public sealed records that carry JSON wire names: every property then needs one.</summary>
    internal static IEnumerable<Type> WireModels(Assembly assembly) => assembly.GetExportedTypes()
        .Where(t => t.IsClass && t.IsSealed && t.GetProperty("EqualityContract", BindingFlags.NonPublic | BindingFlags.Instance) is not null)
        .Where(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Any(p => p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null));

    private static IEnumerable<TestCaseData> WireModelCases() => Cases(WireModels, t => t.Name);

    [TestCaseSource(nameof(WireModelCases))]
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

    [TestCaseSource(nameof(WireModelCases))]
    public void WireModel_Properties_AreInitOnlyExceptExtensionData(Type model)
    {
        foreach (var property in model.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is not null))
        {
            var initOnly = property.SetMethod!.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(System.Runtime.CompilerServices.IsExternalInit));
            var extensionData = property.GetCustomAttribute<JsonExtensionDataAttribute>() is not null;
            Assert.That(initOnly || extensionData, Is.True, $"{model.Name}.{property.Name} should be init-only.");
        }
    }

    /// <summary>Public and protected methods returning a task or an async stream.</summary>
    internal static IEnumerable<MethodInfo> PublicAsyncMethods(Assembly assembly) => assembly.GetExportedTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
        .Where(m => (m.IsPublic || m.IsFamily || m.IsFamilyOrAssembly) && !m.IsSpecialName)
        .Where(m => !(m.DeclaringType!.IsSealed && m.IsFamily))
        .Where(m => m.GetBaseDefinition().DeclaringType!.Assembly == assembly && !ImplementsForeignInterface(m))
        .Where(m => typeof(Task).IsAssignableFrom(m.ReturnType)
            || (m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>))
            || m.ReturnType == typeof(ValueTask)
            || (m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(ValueTask<>)));

    /// <summary>Whether the method implements an interface from another assembly, whose signature it cannot choose.</summary>
    private static bool ImplementsForeignInterface(MethodInfo method) => method.DeclaringType!.GetInterfaces()
        .Where(i => i.Assembly != method.DeclaringType.Assembly)
        .Any(i => method.DeclaringType.GetInterfaceMap(i).TargetMethods.Contains(method));

    private static IEnumerable<TestCaseData> AsyncMethodCases() => Cases(PublicAsyncMethods, m => $"{m.DeclaringType!.Name}.{m.Name}({string.Join(", ", m.GetParameters().Select(p => p.ParameterType.Name))})");

    [TestCaseSource(nameof(AsyncMethodCases))]
    public void AsyncMethod_NameAndCancellationToken_FollowConvention(MethodInfo method)
    {
        Assert.That(method.Name, Does.EndWith("Async"), $"{method.DeclaringType!.Name}.{method.Name}");
        var last = method.GetParameters().LastOrDefault();
        Assert.That(last?.ParameterType, Is.EqualTo(typeof(CancellationToken)), $"{method.DeclaringType!.Name}.{method.Name} must take a CancellationToken last.");
        Assert.That(last!.Name, Is.EqualTo("cancellationToken"));
        Assert.That(last.HasDefaultValue, Is.True, $"{method.DeclaringType!.Name}.{method.Name}: the token must default.");
    }

    [TestCaseSource(nameof(Assemblies))]
    public void PublicApi_NoMember_ExposesRefitTypes(Assembly assembly)
    {
        static bool IsRefit(Type type) => type.Assembly.GetName().Name == "Refit";
        var offenders = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            if ((type.BaseType is { } baseType && IsRefit(baseType)) || type.GetInterfaces().Any(IsRefit))
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
                if (types.SelectMany(Flatten).Any(IsRefit))
                {
                    offenders.Add($"{type.Name}.{member.Name}");
                }
            }
        }

        Assert.That(offenders, Is.Empty);
    }

    [TestCaseSource(nameof(Assemblies))]
    public void PublicTypes_AreInTheAssemblyNamespaceOrAnExtensionNamespace(Assembly assembly)
    {
        var namespaces = assembly.GetExportedTypes().Select(t => t.Namespace).Distinct().ToList();

        Assert.That(namespaces, Is.SubsetOf(ExtensionNamespaces.Append(assembly.GetName().Name)));
    }

    [TestCaseSource(nameof(Assemblies))]
    public void XmlDocs_EveryPublicMember_HasSentences(Assembly assembly)
    {
        var path = Path.ChangeExtension(assembly.Location, ".xml");
        Assert.That(File.Exists(path), Is.True, $"{path} is missing: the project must generate its documentation file.");
        var publicTypes = assembly.GetExportedTypes().Select(t => t.FullName!.Replace('+', '.')).ToHashSet(StringComparer.Ordinal);
        var offenders = new List<string>();
        var documented = 0;
        foreach (var member in XDocument.Load(path).Root!.Element("members")!.Elements("member"))
        {
            var id = member.Attribute("name")!.Value;
            if (!publicTypes.Contains(DeclaringTypeOf(id)))
            {
                continue;
            }

            documented++;
            if (member.Element("inheritdoc") is not null)
            {
                continue;
            }

            if (member.Element("summary") is null)
            {
                offenders.Add($"{id}: no <summary>");
            }

            foreach (var part in member.Elements().Where(e => e.Name.LocalName is "summary" or "param" or "typeparam" or "returns" or "value"))
            {
                var text = Regex.Replace(string.Concat(part.DescendantNodes().OfType<XText>().Select(t => t.Value)), @"\s+", " ").Trim();
                if (text.Length == 0 || (part.Name.LocalName is "summary" && !text.EndsWith('.')))
                {
                    offenders.Add($"{id}: <{part.Name.LocalName}> '{text}' is not a sentence");
                }
            }
        }

        Assert.That(documented, Is.GreaterThanOrEqualTo(publicTypes.Count), "every public type is documented");
        Assert.That(offenders, Is.Empty);
    }

    /// <summary>The type part of an XML documentation id (<c>M:Ns.Type.Method(args)</c> gives <c>Ns.Type</c>).</summary>
    private static string DeclaringTypeOf(string id)
    {
        var name = id[2..];
        if (id.StartsWith("T:", StringComparison.Ordinal))
        {
            return name;
        }

        var arguments = name.IndexOf('(', StringComparison.Ordinal);
        if (arguments >= 0)
        {
            name = name[..arguments];
        }

        var method = name.LastIndexOf('.');
        return method < 0 ? name : name[..method];
    }

    internal static IEnumerable<Type> Flatten(Type type)
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
