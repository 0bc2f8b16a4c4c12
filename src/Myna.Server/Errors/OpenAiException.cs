using Microsoft.AspNetCore.Http;

namespace Myna.Server.Errors;

/// <summary>
/// A request the server answers with an OpenAI-shaped error, <c>{"error":{"message","type","param","code"}}</c>.
/// Thrown by validation and mapping; <see cref="ErrorHandling"/> writes it.
/// </summary>
public sealed class OpenAiException : Exception
{
    /// <summary>An error with the HTTP status, the OpenAI error type, the offending parameter and a machine-readable code.</summary>
    public OpenAiException(int status, string message, string type, string? param = null, string? code = null) : base(message)
    {
        Status = status;
        Type = type;
        Param = param;
        Code = code;
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>OpenAI's error type (invalid_request_error, authentication_error, …).</summary>
    public string Type { get; }

    /// <summary>The request parameter at fault, as a JSON path (messages[1].content), or null.</summary>
    public string? Param { get; }

    /// <summary>A machine-readable code (context_length_exceeded, model_not_found, …), or null.</summary>
    public string? Code { get; }

    /// <summary>Extra integer fields of the error object (n_prompt_tokens, n_ctx).</summary>
    public IReadOnlyDictionary<string, long> Details { get; init; } = new Dictionary<string, long>();

    /// <summary>Headers the answer carries (Retry-After, WWW-Authenticate).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>400: a parameter has the wrong type, is out of range, or is not supported.</summary>
    public static OpenAiException InvalidParameter(string? param, string message, string? code = null) =>
        new(StatusCodes.Status400BadRequest, message, "invalid_request_error", param, code ?? (param is null ? null : "invalid_value"));

    /// <summary>400: the prompt and the requested completion do not fit the model's context.</summary>
    public static OpenAiException ContextLengthExceeded(string param, int promptTokens, int completionTokens, int context) =>
        new(StatusCodes.Status400BadRequest,
            $"This model's maximum context length is {context} tokens. However, you requested {promptTokens + completionTokens} tokens " +
            $"({promptTokens} in the prompt, {completionTokens} for the completion). Please reduce the prompt or the completion length.",
            "invalid_request_error", param, "context_length_exceeded")
        {
            Details = new Dictionary<string, long> { ["n_prompt_tokens"] = promptTokens, ["n_ctx"] = context },
        };

    /// <summary>404: the request names a model this server does not serve.</summary>
    public static OpenAiException ModelNotFound(string model) =>
        new(StatusCodes.Status404NotFound, $"The model '{model}' does not exist.", "invalid_request_error", "model", "model_not_found");

    /// <summary>429: the scheduler's queue is full; try again after <paramref name="retryAfter"/>.</summary>
    public static OpenAiException Overloaded(TimeSpan retryAfter, int waiting) =>
        new(StatusCodes.Status429TooManyRequests, $"The server is overloaded: {waiting} requests are already waiting for a slot. Retry later.",
            "server_error", null, "server_overloaded")
        {
            Headers = new Dictionary<string, string>
            {
                ["Retry-After"] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["retry-after-ms"] = ((long)retryAfter.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };

    /// <summary>503: the server is shutting down and takes no new requests; another replica (or this one, restarted) will.</summary>
    public static OpenAiException Draining(TimeSpan retryAfter) =>
        new(StatusCodes.Status503ServiceUnavailable, "The server is shutting down and takes no new requests. Retry on another replica or later.",
            "server_error", null, "server_shutting_down")
        {
            Headers = Limits.RateLimits.RetryHeaders(retryAfter),
        };

    /// <summary>504: the request ran past <c>--request-timeout</c> and was stopped.</summary>
    public static OpenAiException Timeout(TimeSpan limit) =>
        new(StatusCodes.Status504GatewayTimeout, $"The request ran longer than this server allows ({limit.TotalSeconds:0.###} s, --request-timeout) and was stopped. Ask for fewer tokens or retry later.",
            "server_error", null, "request_timeout");
}
