using System.Net;
using System.Text;
using System.Text.Json;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary>Random bodies, broken JSON and random bytes never get a 5xx (a 500 is a bug), and the server stays healthy.</summary>
public sealed class RandomInputTests
{
    private static readonly string[] Routes = ["/v1/chat/completions", "/v1/completions", "/tokenize", "/detokenize"];

    private static readonly string[] Fields =
    [
        "model", "messages", "prompt", "max_tokens", "max_completion_tokens", "temperature", "top_p", "n", "stop", "presence_penalty",
        "frequency_penalty", "logit_bias", "logprobs", "top_logprobs", "seed", "stream", "stream_options", "user", "echo", "suffix", "best_of",
        "tools", "response_format", "top_k", "repetition_penalty", "ignore_eos", "truncation", "tokens", "role", "content", "type", "text",
    ];

    [Fact]
    public async Task No_input_gets_a_server_error()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 64);
        await using RunningServer server = await RunningServer.StartAsync(model.Path);
        var random = new Random(20261207);
        var statuses = new HashSet<int>();
        for (int i = 0; i < 400; i++)
        {
            string route = Routes[random.Next(Routes.Length)];
            byte[] body = (i % 4) switch
            {
                0 => Encoding.UTF8.GetBytes(RandomValue(random, 0, forceObject: true)),
                1 => Mutate(random, Encoding.UTF8.GetBytes(ValidBody(route))),
                2 => Enumerable.Range(0, random.Next(0, 64)).Select(_ => (byte)random.Next(256)).ToArray(),
                _ => Encoding.UTF8.GetBytes(ValidBody(route).TrimEnd('}') + "," + RandomField(random, 0) + "}"),
            };
            HttpResponseMessage response = await server.Http.PostBytesAsync(route, body);
            int status = (int)response.StatusCode;
            statuses.Add(status);
            Assert.True(status < 500, $"{route} answered {status} to {Encoding.UTF8.GetString(body)}: {await response.Content.ReadAsStringAsync()}");
            if (status >= 400) await response.ReadErrorAsync(status == 400 && (await response.Content.ReadAsStringAsync()).Contains("n_ctx") ? ["n_prompt_tokens", "n_ctx"] : []);
        }
        // The inputs reach past the parser: some are served, some refused by validation.
        Assert.Contains(200, statuses);
        Assert.Contains(400, statuses);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Running == 0 && server.Scheduler.Waiting == 0, TimeSpan.FromSeconds(10)));
    }

    private const string Punctuation = "{}[]\",:0-e.tfn\\\u00ff";

    private static string ValidBody(string route) => route switch
    {
        "/v1/chat/completions" => """{"messages":[{"role":"user","content":"hi"}],"max_tokens":4}""",
        "/v1/completions" => """{"prompt":"hi","max_tokens":4}""",
        "/tokenize" => """{"prompt":"hi"}""",
        _ => """{"tokens":[104,105]}""",
    };

    private static byte[] Mutate(Random random, byte[] body)
    {
        var bytes = body.ToList();
        for (int edits = random.Next(1, 4); edits > 0 && bytes.Count > 0; edits--)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(3))
            {
                case 0: bytes.RemoveAt(at); break;
                case 1: bytes.Insert(at, (byte)Punctuation[random.Next(Punctuation.Length)]); break;
                default: bytes[at] = (byte)random.Next(256); break;
            }
        }
        return [.. bytes];
    }

    private static string RandomField(Random random, int depth) =>
        JsonSerializer.Serialize(Fields[random.Next(Fields.Length)]) + ":" + RandomValue(random, depth + 1);

    private static string RandomValue(Random random, int depth, bool forceObject = false)
    {
        int kind = forceObject ? 0 : random.Next(depth > 3 ? 2 : 4) + 2;
        return kind switch
        {
            0 => "{" + string.Join(",", Enumerable.Range(0, random.Next(0, 6)).Select(_ => RandomField(random, depth))) + "}",
            2 => random.Next(6) switch
            {
                0 => "null",
                1 => "true",
                2 => random.Next(-5, 2000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                3 => (random.NextDouble() * 6 - 3).ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                4 => "1e308",
                _ => "-0",
            },
            3 => JsonSerializer.Serialize(new[] { "user", "system", "assistant", "tool", "text", "image_url", "", "\u00e9\ud83d\ude00", "auto" }[random.Next(9)]),
            4 => "[" + string.Join(",", Enumerable.Range(0, random.Next(0, 5)).Select(_ => RandomValue(random, depth + 1))) + "]",
            _ => "{" + string.Join(",", Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomField(random, depth))) + "}",
        };
    }
}
