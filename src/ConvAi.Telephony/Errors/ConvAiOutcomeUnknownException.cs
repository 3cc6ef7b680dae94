using System.Globalization;
using System.Net;

namespace ConvAi.Telephony;

/// <summary>
/// A call-placing request (outbound call, batch submit or retry, register-call) failed in a way that
/// does not say whether the server acted: a 5xx or 408 answer, a timeout, or a connection lost after
/// the request was sent. The call may have been placed. Do not retry blindly: look for the
/// conversation with <see cref="ConversationsClient.ListAsync"/> filtered by agent, user and start time.
/// </summary>
public sealed class ConvAiOutcomeUnknownException : ConvAiException
{
    /// <summary>Initializes a new instance of the <see cref="ConvAiOutcomeUnknownException"/> class.</summary>
    public ConvAiOutcomeUnknownException()
        : this("The outcome of the request is unknown: the call may have been placed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiOutcomeUnknownException"/> class with a message.</summary>
    /// <param name="message">The error message.</param>
    public ConvAiOutcomeUnknownException(string message)
        : base(message)
    {
        Operation = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiOutcomeUnknownException"/> class with a message and a cause.</summary>
    /// <param name="message">The error message.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public ConvAiOutcomeUnknownException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Operation = string.Empty;
    }

    /// <summary>Initializes a new instance of the <see cref="ConvAiOutcomeUnknownException"/> class for a failed call-placing request.</summary>
    /// <param name="operation">The operation, such as <c>StartTwilioCall</c>.</param>
    /// <param name="agentId">The agent of the call.</param>
    /// <param name="phoneNumberId">The number that placed the call.</param>
    /// <param name="toNumber">The number called.</param>
    /// <param name="userId">The end-user id sent with the call.</param>
    /// <param name="startedAt">When the request started.</param>
    /// <param name="statusCode">The HTTP status, when the server answered.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public ConvAiOutcomeUnknownException(
        string operation,
        string? agentId,
        string? phoneNumberId,
        string? toNumber,
        string? userId,
        DateTimeOffset startedAt,
        HttpStatusCode? statusCode,
        Exception? innerException)
        : base(BuildMessage(operation, agentId, userId, startedAt, statusCode), innerException)
    {
        Operation = operation;
        AgentId = agentId;
        PhoneNumberId = phoneNumberId;
        ToNumber = toNumber;
        UserId = userId;
        StartedAt = startedAt;
        StatusCode = statusCode;
    }

    /// <summary>Gets the operation, such as <c>StartTwilioCall</c> or <c>SubmitBatchCall</c>.</summary>
    public string Operation { get; }

    /// <summary>Gets the agent of the call.</summary>
    public string? AgentId { get; }

    /// <summary>Gets the id of the number that placed the call.</summary>
    public string? PhoneNumberId { get; }

    /// <summary>Gets the number called.</summary>
    public string? ToNumber { get; }

    /// <summary>Gets the end-user id sent with the call (<c>conversation_initiation_client_data.user_id</c>).</summary>
    public string? UserId { get; }

    /// <summary>Gets when the request started; conversations that started after it are candidates.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Gets the HTTP status when the server answered (5xx or 408); null for timeouts and lost connections.</summary>
    public HttpStatusCode? StatusCode { get; }

    private static string BuildMessage(string operation, string? agentId, string? userId, DateTimeOffset startedAt, HttpStatusCode? statusCode)
    {
        var cause = statusCode is { } status
            ? string.Create(CultureInfo.InvariantCulture, $"the server answered {(int)status}")
            : "the request timed out or the connection was lost after it was sent";
        var filters = string.Create(
            CultureInfo.InvariantCulture,
            $"agent_id={agentId ?? "(none)"}, user_id={userId ?? "(none)"}, call_start_after_unix={startedAt.ToUnixTimeSeconds() - 1}");
        return $"The outcome of {operation} is unknown ({cause}): the call may have been placed. Do not retry blindly; "
            + $"reconcile with Conversations.ListAsync filtered by {filters}.";
    }
}
