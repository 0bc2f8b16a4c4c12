using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Myna.Models.Checkpoints;
using Myna.Server.Errors;
using Myna.Server.Hosting;

namespace Myna.Server.Endpoints;

/// <summary>
/// The playground at <c>/</c>: static pages embedded in this assembly (so <c>myna serve</c> shows them from any working
/// directory and from a published binary), and <c>GET /v1/models/{id}/card</c>, the model card they display.
/// </summary>
/// <remarks>
/// The pages are public, as the issue asks of static files: call <see cref="MapPlayground"/> before the API-key
/// middleware, so they are served before it asks for a key. The page then sends the key the user enters with each API
/// call. The card route sits under <c>/v1/models</c>, public like the model list it extends.
/// </remarks>
public static class PlaygroundApi
{
    /// <summary>The policy the pages are written for: scripts and styles only from their own files, nothing inline.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'";

    /// <summary>The folder of the embedded files, relative to the project (and the root of their manifest).</summary>
    private const string EmbeddedRoot = "wwwroot";

    /// <summary>The largest card served. A card is prose and a few tables; anything bigger is not one.</summary>
    private const long MaxCardBytes = 1024 * 1024;

    /// <summary>The card files looked for in the model folder, in order: Myna's own card, then the Hugging Face one.</summary>
    private static readonly string[] CardFileNames = [ModelCard.FileName, ModelCard.HubFileName];

    /// <summary>Serves the playground's files at <c>/</c> and maps the model-card route.</summary>
    public static WebApplication MapPlayground(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var files = new ManifestEmbeddedFileProvider(typeof(PlaygroundApi).Assembly, EmbeddedRoot);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context =>
            {
                IHeaderDictionary headers = context.Context.Response.Headers;
                // The pages must keep working under this policy; sending it with them makes the browser hold them to it
                // even where no other part of the server sets it.
                if (!headers.ContainsKey("Content-Security-Policy")) headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                // Revalidate on every load (a cheap 304): an upgraded server's pages replace the old ones at once.
                headers.CacheControl = "no-cache";
            },
        });
        app.MapGet("/v1/models/{id}/card", (HttpContext context, ServedModel served, string id) => id == served.Id
            ? WriteCardAsync(context, served)
            : throw OpenAiException.ModelNotFound(id));
        return app;
    }

    /// <summary>The card: the model's shape from its config, and the model folder's card text when there is one.</summary>
    private static async Task WriteCardAsync(HttpContext context, ServedModel served)
    {
        (string? source, string? markdown) = await ReadCardAsync(served.Options.ModelDirectory, context.RequestAborted).ConfigureAwait(false);
        var config = served.Model.Config;
        await JsonBody.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", served.Id);
            writer.WriteString("object", "model.card");
            writer.WriteNumber("layers", config.LayerCount);
            writer.WriteNumber("heads", config.HeadCount);
            writer.WriteNumber("embedding_size", config.EmbeddingSize);
            writer.WriteNumber("context_length", config.ContextLength);
            writer.WriteNumber("vocabulary_size", config.VocabSize);
            writer.WriteNumber("parameters", served.Model.Weights.Layout.TotalLength);
            writer.WriteString("precision", served.Model.Precision.ToString().ToLowerInvariant());
            writer.WriteString("source", source);
            writer.WriteString("markdown", markdown);
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>The first card file in <paramref name="directory"/> and its text, read afresh (evaluations update cards), or nulls.</summary>
    private static async Task<(string? Source, string? Markdown)> ReadCardAsync(string? directory, CancellationToken cancellation)
    {
        if (directory is null) return (null, null);
        foreach (string name in CardFileNames)
        {
            var file = new FileInfo(Path.Combine(directory, name));
            if (!file.Exists || file.Length > MaxCardBytes) continue;
            try
            {
                return (name, await File.ReadAllTextAsync(file.FullName, cancellation).ConfigureAwait(false));
            }
            catch (IOException)
            {
                // Replaced or removed while being read (cards are rewritten atomically): try the next name.
            }
            catch (UnauthorizedAccessException)
            {
                // Not readable by the server: the card is simply not shown.
            }
        }
        return (null, null);
    }
}
