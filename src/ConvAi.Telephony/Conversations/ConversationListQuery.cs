using Refit;

namespace ConvAi.Telephony;

/// <summary>
/// Writes <see cref="ConversationListOptions"/> as the query string of <c>GET /v1/convai/conversations</c>. The build
/// writes <c>Flatten</c> from the options' properties (<see cref="GeneratedQueryConverterAttribute"/>): each property is
/// one snake-case key in the order the API documents them; unset filters are left out, arrays are sent as repeated keys,
/// booleans as <c>true</c>/<c>false</c>. Refit's source generator calls it inline (no reflection).
/// </summary>
[GeneratedQueryConverter(typeof(ConversationListOptions))]
internal sealed partial class ConversationListQuery : IQueryConverter<ConversationListOptions>;
