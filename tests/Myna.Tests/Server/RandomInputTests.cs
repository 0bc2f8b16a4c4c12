using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Myna.Server;
using Myna.Tests.Generation;
using Xunit.Abstractions;

namespace Myna.Tests.Server;

/// <summary>
/// Fuzzing with FsCheck generators: 2,000 random requests — JSON bodies from a grammar of the API's own fields, mutated
/// valid bodies, random bytes, random methods, content types and auth headers — never get a 5xx (a 500 is a bug), every
/// error has the OpenAI shape, and the server stays healthy and idle afterwards.
/// </summary>
public sealed class RandomInputTests(ITestOutputHelper output)
{
    private const int Cases = 2000;
    private const string Key = "fuzz-key";

    private static readonly string[] Routes = ["/v1/chat/completions", "/v1/completions", "/tokenize", "/detokenize"];

    private static readonly string[] Fields =
    [
        "model", "messages", "prompt", "max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "stop", "presence_penalty",
        "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "seed", "stream", "stream_options", "include_usage", "user", "echo", "suffix",
        "best_of", "tools", "response_format", "top_k", "repetition_penalty", "ignore_eos", "truncation", "tokens", "role", "content", "type", "text",
    ];

    private static readonly string[] Words = ["user", "system", "developer", "assistant", "tool", "text", "image_url", "", "\u00e9\ud83d\ude00", "auto", "tiny", "\u0000", "\\", "\ud800"];

    private const string Punctuation = "{}[]\",:0-e.tfn\\\u00ff";

    /// <summary>One random request.</summary>
    public sealed record Fuzz(string Method, string Route, byte[] Body, string? ContentType, string? Authorization, string? ApiKey, (string Name, string Value)[] Extra)
    {
        public override string ToString() =>
            $"{Method} {Route} [{ContentType}] auth={Authorization} key={ApiKey} extra={string.Join(";", Extra.Select(e => e.Name + "=" + e.Value))} body={Encoding.UTF8.GetString(Body)}";
    }

    private static Gen<string> Scalar() => Gen.OneOf(
        Gen.Elements("null", "true", "false", "0", "-1", "-0", "1e308", "2.5", "4", "16", "2048", "99999999999999999999", "0.0001"),
        Gen.Choose(-10, 3000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Elements(Words).Select(w => JsonSerializer.Serialize(w)));

    private static Gen<string> Value(int depth) => depth <= 0
        ? Scalar()
        : Gen.Frequency(
            (3, Scalar()),
            (1, Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(Value(depth - 1), n)).Select(items => "[" + string.Join(",", items) + "]")),
            (2, JsonObject(depth - 1)));

    private static Gen<string> JsonObject(int depth) =>
        Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Elements(Fields), Value(depth), (name, value) => JsonSerializer.Serialize(name) + ":" + value), n))
            .Select(fields => "{" + string.Join(",", fields) + "}");

    private static string ValidBody(string route) => route switch
    {
        "/v1/chat/completions" => """{"messages":[{"role":"user","content":"hi"}],"max_tokens":4}""",
        "/v1/completions" => """{"prompt":"hi","max_tokens":4}""",
        "/tokenize" => """{"prompt":"hi"}""",
        _ => """{"tokens":[104,105]}""",
    };

    private static Gen<byte[]> Mutated(string route) =>
        Gen.ArrayOf(Gen.Zip(Gen.Choose(0, 2), Gen.Zip(Gen.Choose(0, 10_000), Gen.Choose(0, 255))), 3).Select(edits =>
        {
            var bytes = Encoding.UTF8.GetBytes(ValidBody(route)).ToList();
            foreach ((int kind, (int at, int b)) in edits)
            {
                if (bytes.Count == 0) break;
                int i = at % bytes.Count;
                switch (kind)
                {
                    case 0: bytes.RemoveAt(i); break;
                    case 1: bytes.Insert(i, (byte)Punctuation[b % Punctuation.Length]); break;
                    default: bytes[i] = (byte)b; break;
                }
            }
            return bytes.ToArray();
        });

    private static Gen<byte[]> Body(string route) => Gen.Frequency(
        (3, JsonObject(3).Select(Encoding.UTF8.GetBytes)),
        (2, Mutated(route)),
        (1, Gen.Choose(0, 80).SelectMany(n => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), n))),
        (3, JsonObject(2).Select(extra => Encoding.UTF8.GetBytes(ValidBody(route).TrimEnd('}') + "," + extra.TrimStart('{')))));

    // Header values a client can send: printable ASCII (HttpClient refuses control characters itself).
    private static Gen<string> HeaderText() =>
        Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(Gen.Choose(32, 126).Select(c => (char)c), n)).Select(chars => new string(chars).Trim());

    private static Gen<Fuzz> Requests() =>
        from route in Gen.Frequency((9, Gen.Elements(Routes)), (1, Gen.Elements("/", "/v1", "/v1/models/x", "/metrics", "/v1/embeddings", "/%2e%2e/etc")))
        from method in Gen.Frequency((8, Gen.Constant("POST")), (1, Gen.Elements("GET", "PUT", "DELETE", "PATCH", "HEAD")))
        from body in Body(route)
        from contentType in Gen.Frequency((7, Gen.Constant<string?>("application/json")),
            (1, Gen.Elements<string?>(null, "text/plain", "application/json; charset=latin1", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-8")))
        from authorization in Gen.Frequency((6, Gen.Constant<string?>("Bearer " + Key)), (1, Gen.Constant<string?>(null)),
            (1, HeaderText().Select(t => (string?)("Bearer " + t))), (1, HeaderText().Select(t => (string?)t)))
        from apiKey in Gen.Frequency((8, Gen.Constant<string?>(null)), (1, Gen.Constant<string?>(Key)), (1, HeaderText().Select(t => (string?)t)))
        from extraCount in Gen.Choose(0, 3)
        from extra in Gen.ArrayOf(Gen.Zip(Gen.Elements("X-Fuzz", "Accept", "Accept-Encoding", "X-Request-Id", "Origin", "Expect", "X-Forwarded-For"), HeaderText()), extraCount)
        select new Fuzz(method, route, body, contentType, authorization, apiKey, extra);

    [Fact]
    public async Task Two_thousand_random_requests_get_no_server_error_and_the_server_stays_up()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 64);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { ApiKeys = [Key] });
        // A fixed seed: a failure names its input and reproduces. (FsCheck's argument order here: count, seed, size.)
        Fuzz[] requests = Requests().Sample(Cases, new Rnd(20261207UL), 10);
        Assert.Equal(Cases, requests.Length);
        Assert.True(requests.Select(r => r.ToString()).Distinct().Count() > Cases * 9 / 10, "the generator repeats itself");
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (fuzz, _) =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), fuzz.Route);
            if (fuzz.Method is not ("GET" or "HEAD" or "DELETE"))
            {
                request.Content = new ByteArrayContent(fuzz.Body);
                if (fuzz.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
            }
            if (fuzz.Authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", fuzz.Authorization);
            if (fuzz.ApiKey is not null) request.Headers.TryAddWithoutValidation("X-Api-Key", fuzz.ApiKey);
            foreach ((string name, string value) in fuzz.Extra)
            {
                // "Expect: 100-continue" is the only expectation HTTP/1.1 knows; others are answered 417 by design, not fuzzed here.
                if (name == "Expect") continue;
                request.Headers.TryAddWithoutValidation(name, value);
            }
            using HttpResponseMessage response = await server.Http.SendAsync(request);
            int status = (int)response.StatusCode;
            statuses.AddOrUpdate(status, 1, (_, count) => count + 1);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(status < 500, $"answered {status} to {fuzz}: {text}");
            if (status >= 400 && fuzz.Method != "HEAD")
            {
                Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
                using JsonDocument error = JsonDocument.Parse(text);
                JsonElement body = error.RootElement.GetProperty("error");
                Assert.Equal(["error"], error.RootElement.EnumerateObject().Select(p => p.Name));
                string[] names = body.EnumerateObject().Select(p => p.Name).ToArray();
                Assert.Equal(["message", "type", "param", "code"], names.Take(4));
                Assert.Subset(new HashSet<string> { "message", "type", "param", "code", "n_prompt_tokens", "n_ctx" }, names.ToHashSet());
                Assert.Equal(JsonValueKind.String, body.GetProperty("message").ValueKind);
                Assert.Equal(JsonValueKind.String, body.GetProperty("type").ValueKind);
            }
        });
        output.WriteLine($"{Cases} requests in {clock.Elapsed.TotalSeconds:F1} s: " + string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}")));

        // The inputs reach past the parser and the key check: some are served, some refused by validation, some unauthorized.
        Assert.Contains(200, statuses.Keys);
        Assert.Contains(400, statuses.Keys);
        Assert.Contains(401, statuses.Keys);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Running == 0 && server.Scheduler.Waiting == 0, TimeSpan.FromSeconds(10)));
    }
}
