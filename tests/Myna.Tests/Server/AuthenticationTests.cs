using System.ClientModel;
using System.Net;
using Myna.Server;
using Myna.Server.Security;
using Myna.Tests.Cli;
using Myna.Tests.Generation;
using OpenAI;
using OpenAI.Chat;

namespace Myna.Tests.Server;

/// <summary>API keys: 401 without or with a wrong key, both headers accepted, public routes open, no open public bind.</summary>
public sealed class AuthenticationTests
{
    [Fact]
    public async Task Only_requests_with_a_valid_key_reach_generation()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 128);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { ApiKeys = ["key-one", "key-two"] });

        HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/chat/completions", ServerHttp.Chat());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("invalid_api_key", (await response.ReadErrorAsync()).GetProperty("code").GetString());
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);

        foreach ((string header, string value, HttpStatusCode status) in new[]
        {
            ("Authorization", "Bearer key-wrong", HttpStatusCode.Unauthorized),
            ("Authorization", "Bearer key-one-", HttpStatusCode.Unauthorized),
            ("X-Api-Key", "key-on", HttpStatusCode.Unauthorized),
            ("Authorization", "Bearer key-two", HttpStatusCode.OK),
            ("X-Api-Key", "key-one", HttpStatusCode.OK),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = new StringContent("""{"prompt":"a","max_tokens":2}""", System.Text.Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation(header, value);
            response = await server.Http.SendAsync(request);
            Assert.Equal(status, response.StatusCode);
            if (status == HttpStatusCode.Unauthorized) Assert.Equal("invalid_api_key", (await response.ReadErrorAsync()).GetProperty("code").GetString());
        }

        foreach (string open in new[] { "/health", "/ready", "/metrics", "/v1/models", "/v1/models/tiny" })
            Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(open)).StatusCode);
        // The playground's files are public too, and a missing page outside the API is looked up (404), not refused.
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/no-such-page.js")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.PostJsonAsync("/tokenize", """{"prompt":"a"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.GetAsync("/v1/chat/completions")).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await server.Http.PostJsonAsync("/metrics", "{}")).StatusCode); // public, wrong method

        ChatClient Sdk(string key) => new(RunningServer.ModelId, new ApiKeyCredential(key), new OpenAIClientOptions { Endpoint = server.OpenAiEndpoint });
        ClientResultException denied = await Assert.ThrowsAsync<ClientResultException>(() => Sdk("nope").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(401, denied.Status);
        ChatCompletion allowed = (await Sdk("key-two").CompleteChatAsync([new UserChatMessage("hi")], new ChatCompletionOptions { MaxOutputTokenCount = 3 })).Value;
        Assert.InRange(allowed.Usage.OutputTokenCount, 1, 3);
    }

    [Fact]
    public void A_key_id_is_eight_hex_digits_of_the_keys_sha256()
    {
        Assert.Equal("2bb80d53", ApiKeySet.KeyId("secret")); // sha256("secret") = 2bb80d537b1da3e3…
        Assert.Equal(ApiKeySet.KeyId("secret"), ApiKeySet.KeyId(" secret "));
        Assert.NotEqual(ApiKeySet.KeyId("secret"), ApiKeySet.KeyId("secreT"));
    }

    [Fact]
    public void Keys_are_gathered_from_flags_file_and_environment_and_compared_exactly()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["# team keys", "", "  file-key  "]);
            IReadOnlyList<string> keys = ApiKeySet.Gather(["flag-key"], file, "env-a, env-b");
            Assert.Equal(["flag-key", "file-key", "env-a", "env-b"], keys);
            var set = new ApiKeySet(keys);
            Assert.Equal(4, set.Count);
            Assert.True(set.Contains("env-b"));
            Assert.False(set.Contains("env-"));
            Assert.False(set.Contains(""));
            Assert.False(set.Contains(null));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_public_address_without_keys_is_refused_unless_allowed()
    {
        Assert.Contains("--allow-no-auth", Assert.Throws<ArgumentException>(() => new ServerOptions { Host = "0.0.0.0" }.Validate()).Message);
        new ServerOptions { Host = "0.0.0.0", AllowNoAuth = true }.Validate();
        new ServerOptions { Host = "0.0.0.0", ApiKeys = ["k"] }.Validate();
        new ServerOptions { Host = "::1" }.Validate();
        new ServerOptions { Host = "localhost" }.Validate();

        CliRun run = CliRun.Of("serve", "--host", "0.0.0.0", "--port", "0");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--allow-no-auth", run.Error);
    }
}
