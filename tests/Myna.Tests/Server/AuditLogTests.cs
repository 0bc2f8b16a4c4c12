using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Myna.Server;
using Myna.Server.Audit;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary><c>--audit-log</c>: one JSON line per request with ids, key id, tokens and times; content only with <c>--log-content</c>, redacted.</summary>
public sealed class AuditLogTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("myna-audit-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static JsonElement[] Lines(string path) =>
        File.ReadAllLines(path).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToArray();

    /// <summary>The log once it has <paramref name="count"/> lines: a request's line is written just after its answer's last byte.</summary>
    private static async Task<JsonElement[]> LinesAsync(string path, int count)
    {
        Assert.True(await RunningServer.EventuallyAsync(() => File.Exists(path) && File.ReadAllLines(path).Length >= count, TimeSpan.FromSeconds(10)),
            $"the audit log does not have {count} lines");
        return Lines(path);
    }

    [Fact]
    public async Task Each_request_is_one_line_with_its_ids_tokens_and_times_but_no_content()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 128);
        string path = Path.Combine(_folder, "logs", "audit.jsonl");
        await using (RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { ApiKeys = ["secret-key"], AuditLog = path }))
        {
            server.Http.DefaultRequestHeaders.Authorization = new("Bearer", "secret-key");
            HttpResponseMessage chat = await server.Http.PostJsonAsync("/v1/chat/completions", ServerHttp.Chat("\"store\":true,\"ignore_eos\":true", content: "mail me at jane.doe@example.com"));
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
            using JsonDocument answer = JsonDocument.Parse(await chat.Content.ReadAsStringAsync());
            string id = answer.RootElement.GetProperty("id").GetString()!;
            Assert.Equal(id, Assert.Single(chat.Headers.GetValues("X-Request-Id")));
            await (await server.Http.PostJsonAsync("/v1/completions", """{"prompt":"hi","max_tokens":3,"stream":true,"ignore_eos":true}""")).Content.ReadAsStringAsync();
            server.Http.DefaultRequestHeaders.Authorization = null;
            HttpResponseMessage denied = await server.Http.PostJsonAsync("/v1/completions", """{"prompt":"hi"}""");
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
            string deniedId = Assert.Single(denied.Headers.GetValues("X-Request-Id"));

            JsonElement[] lines = await LinesAsync(path, 3);
            Assert.Equal(3, lines.Length);
            // A record is written when its request ends, which for a stream can be just after the client has read it all:
            // find each by what it is, not by position.
            JsonElement first = lines.Single(l => l.GetProperty("route").GetString() == "/v1/chat/completions");
            Assert.Equal(
                ["time", "request_id", "key_id", "method", "route", "model", "status", "error", "prompt_tokens", "completion_tokens", "finish_reasons", "ttft_ms", "latency_ms", "ignored_fields"],
                first.EnumerateObject().Select(p => p.Name));
            Assert.Equal(id, first.GetProperty("request_id").GetString());
            string keyId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("secret-key")))[..8];
            Assert.Equal(keyId, first.GetProperty("key_id").GetString());
            Assert.Equal("/v1/chat/completions", first.GetProperty("route").GetString());
            Assert.Equal("POST", first.GetProperty("method").GetString());
            Assert.Equal(RunningServer.ModelId, first.GetProperty("model").GetString());
            Assert.Equal(200, first.GetProperty("status").GetInt32());
            Assert.Equal(JsonValueKind.Null, first.GetProperty("error").ValueKind);
            JsonElement usage = answer.RootElement.GetProperty("usage");
            Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32(), first.GetProperty("prompt_tokens").GetInt32());
            Assert.Equal(usage.GetProperty("completion_tokens").GetInt32(), first.GetProperty("completion_tokens").GetInt32());
            Assert.Equal(["length"], first.GetProperty("finish_reasons").EnumerateArray().Select(e => e.GetString()));
            Assert.Equal(["store"], first.GetProperty("ignored_fields").EnumerateArray().Select(e => e.GetString()));
            double ttft = first.GetProperty("ttft_ms").GetDouble(), latency = first.GetProperty("latency_ms").GetDouble();
            Assert.True(ttft > 0 && ttft <= latency, $"ttft {ttft} ms, latency {latency} ms");
            Assert.DoesNotContain("jane.doe", File.ReadAllText(path));

            JsonElement streamed = lines.Single(l => l.GetProperty("status").GetInt32() == 200 && l.GetProperty("route").GetString() == "/v1/completions");
            Assert.StartsWith("cmpl-", streamed.GetProperty("request_id").GetString());
            Assert.Equal(3, streamed.GetProperty("completion_tokens").GetInt32());
            Assert.Equal(["length"], streamed.GetProperty("finish_reasons").EnumerateArray().Select(e => e.GetString()));
            Assert.True(streamed.GetProperty("ttft_ms").GetDouble() > 0);

            JsonElement refused = lines.Single(l => l.GetProperty("status").GetInt32() == 401);
            Assert.Equal(deniedId, refused.GetProperty("request_id").GetString());
            Assert.Equal(401, refused.GetProperty("status").GetInt32());
            Assert.Equal("invalid_api_key", refused.GetProperty("error").GetString());
            Assert.Equal(JsonValueKind.Null, refused.GetProperty("key_id").ValueKind);
            Assert.Equal(JsonValueKind.Null, refused.GetProperty("ttft_ms").ValueKind);
        }

        // A restarted server appends.
        await using (RunningServer again = await RunningServer.StartAsync(model.Path, new ServerOptions { AuditLog = path }))
            await again.Http.PostJsonAsync("/tokenize", """{"prompt":"x"}""");
        Assert.Equal(4, (await LinesAsync(path, 4)).Length);
    }

    [Fact]
    public async Task Log_content_records_prompts_and_outputs_after_pii_redaction()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 128);
        string path = Path.Combine(_folder, "content.jsonl");
        await using (RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { AuditLog = path, LogContent = true }))
        {
            HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/completions", """{"prompt":"Write to jane.doe@example.com","max_tokens":4,"n":2,"temperature":1,"seed":3}""");
            using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            string[] texts = answer.RootElement.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("text").GetString()!).ToArray();

            JsonElement line = Assert.Single(await LinesAsync(path, 1));
            string prompt = Assert.Single(line.GetProperty("prompts").EnumerateArray()).GetString()!;
            Assert.StartsWith("Write to ", prompt);
            Assert.DoesNotContain("jane.doe@example.com", prompt);
            Assert.Equal(texts.Select(t => new Myna.Text.Privacy.PiiRedactor().Redact(t).Text), line.GetProperty("outputs").EnumerateArray().Select(e => e.GetString()));
        }
        Assert.Contains("--audit-log", Assert.Throws<ArgumentException>(() => new ServerOptions { LogContent = true }.Validate()).Message);
    }

    [Fact]
    public void Links_devices_and_directories_are_refused()
    {
        string target = Path.Combine(_folder, "real.jsonl");
        File.WriteAllText(target, "");
        string link = Path.Combine(_folder, "link.jsonl");
        File.CreateSymbolicLink(link, target);
        Assert.Contains("symbolic link", Assert.Throws<ArgumentException>(() => AuditLog.Open(link, false)).Message);
        Assert.Contains("directory", Assert.Throws<ArgumentException>(() => AuditLog.Open(_folder, false)).Message);
        Assert.Throws<ArgumentException>(() => AuditLog.Open("/dev/null", false));
        Assert.Equal("", File.ReadAllText(target));
        using (AuditLog log = AuditLog.Open(target, false)) Assert.Equal(target, log.Path);
    }
}
