using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Myna.Server.Errors;
using Myna.Server.Hosting;

namespace Myna.Server.Endpoints;

/// <summary><c>GET /v1/models</c> and <c>GET /v1/models/{id}</c>: the one served model (public, for discovery).</summary>
public static class ModelsApi
{
    /// <summary>Maps the model routes.</summary>
    public static IEndpointRouteBuilder MapModels(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/models", (HttpContext context, ServedModel served) => JsonBody.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            WriteModel(writer, served);
            writer.WriteEndArray();
            writer.WriteEndObject();
        }));
        routes.MapGet("/v1/models/{id}", (HttpContext context, ServedModel served, string id) => id == served.Id
            ? JsonBody.WriteAsync(context, StatusCodes.Status200OK, writer => WriteModel(writer, served))
            : throw OpenAiException.ModelNotFound(id));
        return routes;
    }

    private static void WriteModel(Utf8JsonWriter writer, ServedModel served)
    {
        writer.WriteStartObject();
        writer.WriteString("id", served.Id);
        writer.WriteString("object", "model");
        writer.WriteNumber("created", served.Created);
        writer.WriteString("owned_by", "myna");
        // vLLM's name for the context length, which clients use to size prompts.
        writer.WriteNumber("max_model_len", served.ContextLength);
        writer.WriteEndObject();
    }
}
