namespace ConvAi.Telephony;

/// <summary>
/// Marks a partial <c>IQueryConverter&lt;T&gt;</c> whose <c>Flatten</c> method the build writes from the public properties
/// of <see cref="OptionsType"/> (ConvAi.Telephony.Generators' <c>QueryConverterGenerator</c>): one snake-case key per
/// property, in declaration order, so that a list of filters is written once, as the options type's properties.
/// </summary>
/// <param name="optionsType">The options type whose properties are the query's filters.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
internal sealed class GeneratedQueryConverterAttribute(Type optionsType) : Attribute
{
    /// <summary>Gets the options type whose properties are the query's filters.</summary>
    public Type OptionsType { get; } = optionsType;
}
