using Microsoft.AspNetCore.Http;
using Myna.Server.Errors;
using Myna.Server.Hosting;

namespace Myna.Server.Streaming;

/// <summary>The in-band error event of a stream that fails after its 200 was sent: <c>data: {"error":{…}}</c>.</summary>
internal static class LateError
{
    /// <summary>The error event's JSON for <paramref name="error"/>.</summary>
    public static ReadOnlyMemory<byte> Describe(Exception error)
    {
        OpenAiException described = error switch
        {
            OpenAiException known => known,
            // The scheduler cancels what is still running when the host stops.
            OperationCanceledException => GenerationRun.ShuttingDown(),
            _ => new OpenAiException(StatusCodes.Status500InternalServerError, $"The generation failed: {error.Message}", "server_error"),
        };
        if (RequestRecord.Current is { } record) record.ErrorCode = described.Code ?? described.Type;
        return JsonBody.Build(writer => ErrorHandling.Write(writer, described));
    }
}
