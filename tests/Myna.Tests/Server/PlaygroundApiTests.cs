using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Myna.Models.Checkpoints;
using Myna.Server;
using Myna.Server.Endpoints;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary>The playground's files and model-card route over HTTP, on a server that requires a key.</summary>
public sealed partial class PlaygroundApiTests : IAsyncLifetime
{
    private const string Key = "sk-playground";
    private const string Card = "# Tiny\n\nA card with a | bar.\n";

    private readonly TinyModelDirectory _model = TinyModelDirectory.Create(tiedEmbeddings: true);
    private RunningServer _server = null!;

    private HttpClient Http => _server.Http;

    public async Task InitializeAsync()
    {
        File.WriteAllText(Path.Combine(_model.Path, ModelCard.FileName), Card);
        _server = await RunningServer.StartAsync(_model.Path, new ServerOptions { ApiKeys = [Key], ModelDirectory = _model.Path });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _model.Dispose();
    }

    [Fact]
    public async Task The_page_is_public_and_served_under_its_content_security_policy()
    {
        HttpResponseMessage page = await Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Equal(PlaygroundApi.ContentSecurityPolicy, string.Join(",", page.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join(",", page.Headers.GetValues("X-Content-Type-Options")));
        // The API behind it still wants the key.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Http.PostJsonAsync("/v1/chat/completions", """{"messages":[]}""")).StatusCode);
    }

    [Fact]
    public async Task Every_file_the_page_names_is_served_from_the_assembly_and_nothing_is_inline()
    {
        // Embedded, not copied: the server finds its files wherever it runs from.
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "wwwroot", "index.html")));
        string html = await Http.GetStringAsync("/");
        // default-src 'self' blocks inline scripts, inline styles and other hosts: the page must need none of them.
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(@"\sstyle=|\son[a-z]+=", html);
        string[] references = Reference().Matches(html).Select(m => m.Groups[1].Value).ToArray();
        Assert.Contains("playground.js", references);
        Assert.Contains("playground.css", references);
        var modules = new Queue<string>(references);
        var seen = new HashSet<string>();
        while (modules.TryDequeue(out string? file))
        {
            if (!seen.Add(file)) continue;
            Assert.DoesNotContain("//", file);
            HttpResponseMessage response = await Http.GetAsync("/" + file);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: {response.StatusCode}");
            if (!file.EndsWith(".js", StringComparison.Ordinal)) continue;
            Assert.Equal("text/javascript", response.Content.Headers.ContentType?.MediaType);
            // Follow the modules' imports: each must be served too.
            foreach (Match import in Import().Matches(await response.Content.ReadAsStringAsync())) modules.Enqueue(import.Groups[1].Value);
        }
        Assert.Contains("sse.js", seen);
    }

    [Fact]
    public async Task The_card_route_gives_the_models_shape_and_its_card_file()
    {
        using JsonDocument card = JsonDocument.Parse(await Http.GetStringAsync($"/v1/models/{RunningServer.ModelId}/card"));
        JsonElement root = card.RootElement;
        Assert.Equal(RunningServer.ModelId, root.GetProperty("id").GetString());
        Assert.Equal("model.card", root.GetProperty("object").GetString());
        var config = _server.Model.Config;
        Assert.Equal(config.LayerCount, root.GetProperty("layers").GetInt32());
        Assert.Equal(config.HeadCount, root.GetProperty("heads").GetInt32());
        Assert.Equal(config.EmbeddingSize, root.GetProperty("embedding_size").GetInt32());
        Assert.Equal(config.ContextLength, root.GetProperty("context_length").GetInt32());
        Assert.Equal(config.VocabSize, root.GetProperty("vocabulary_size").GetInt32());
        Assert.Equal(_server.Model.Weights.Values.Length, root.GetProperty("parameters").GetInt32());
        Assert.Equal("f32", root.GetProperty("precision").GetString());
        Assert.Equal(ModelCard.FileName, root.GetProperty("source").GetString());
        Assert.Equal(Card, root.GetProperty("markdown").GetString());
    }

    [Fact]
    public async Task The_card_is_read_afresh_and_an_unknown_model_is_a_404()
    {
        File.Delete(Path.Combine(_model.Path, ModelCard.FileName));
        File.WriteAllText(Path.Combine(_model.Path, "README.md"), "# From the README\n");
        using (JsonDocument card = JsonDocument.Parse(await Http.GetStringAsync($"/v1/models/{RunningServer.ModelId}/card")))
        {
            Assert.Equal("README.md", card.RootElement.GetProperty("source").GetString());
            Assert.Equal("# From the README\n", card.RootElement.GetProperty("markdown").GetString());
        }
        File.Delete(Path.Combine(_model.Path, "README.md"));
        using (JsonDocument card = JsonDocument.Parse(await Http.GetStringAsync($"/v1/models/{RunningServer.ModelId}/card")))
        {
            Assert.Equal(JsonValueKind.Null, card.RootElement.GetProperty("markdown").ValueKind);
            Assert.Equal(JsonValueKind.Null, card.RootElement.GetProperty("source").ValueKind);
        }

        HttpResponseMessage missing = await Http.GetAsync("/v1/models/other/card");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using JsonDocument error = JsonDocument.Parse(await missing.Content.ReadAsStringAsync());
        Assert.Equal("model_not_found", error.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [GeneratedRegex("""(?:src|href)="([^"]+)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Reference();

    [GeneratedRegex("""\bfrom\s+"\./([^"]+)";""")]
    private static partial Regex Import();
}
