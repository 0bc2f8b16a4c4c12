using System.CommandLine;
using Myna.Cli;
using Myna.Cli.Commands;
using Myna.Server;
using Myna.Tests.Generation;

namespace Myna.Tests.Cli;

/// <summary>Every <c>myna serve</c> flag reaches <see cref="ServerOptions"/>, defaults come from it, and bad values are usage errors.</summary>
public sealed class ServeFlagsTests
{
    // Paths that exist in every checkout: the app flags are checked for existence when the options are validated.
    private static readonly string Faq = Path.Combine(Myna.Tests.Text.TempFolder.RepositoryRoot(), "data", "apps", "support", "faq.jsonl");
    private static readonly string AppModel = Path.Combine(Myna.Tests.Text.TempFolder.RepositoryRoot(), "models", "myna-default");

    private static ServerOptions Read(params string[] flags)
    {
        ParseResult parsed = MynaApp.BuildRoot().Parse(["serve", .. flags]);
        Assert.Empty(parsed.Errors);
        return ServeCommand.ReadOptions(parsed, ["k"]);
    }

    [Fact]
    public void Every_flag_reaches_the_server_options()
    {
        ServerOptions options = Read(
            "--host", "0.0.0.0", "--port", "9001", "--served-model-name", "m", "--parallel", "3", "--prefill-chunk", "17", "--max-queue", "5",
            "--max-n", "2", "--max-body-bytes", "4096", "--allow-no-auth", "--request-timeout", "2.5", "--shutdown-grace", "7",
            "--rate-limit-requests", "11", "--rate-limit-tokens", "1200", "--rate-limit-status", "503", "--audit-log", "audit.jsonl", "--log-content",
            "--cors-origin", "https://a.example", "--cors-origin", "http://localhost:3000",
            "--support-faq", Faq, "--translation-model", AppModel, "--recommend-model", AppModel);
        Assert.Equal(new ServerOptions
        {
            Host = "0.0.0.0", Port = 9001, ServedModelName = "m", Parallel = 3, PrefillChunk = 17, MaxQueue = 5, MaxN = 2, MaxBodyBytes = 4096,
            ApiKeys = options.ApiKeys, AllowNoAuth = true, RequestTimeout = TimeSpan.FromSeconds(2.5), ShutdownGrace = TimeSpan.FromSeconds(7),
            RateLimitRequests = 11, RateLimitTokens = 1200, RateLimitStatus = 503, AuditLog = "audit.jsonl", LogContent = true,
            CorsOrigins = options.CorsOrigins, SupportFaq = Faq, TranslationModel = AppModel, RecommendModel = AppModel,
        }, options);
        Assert.Equal(["k"], options.ApiKeys);
        Assert.Equal(["https://a.example", "http://localhost:3000"], options.CorsOrigins);
        options.Validate();
    }

    [Fact]
    public void Without_flags_the_options_are_the_records_defaults()
    {
        ServerOptions options = Read();
        ServerOptions defaults = new() { ApiKeys = options.ApiKeys, CorsOrigins = options.CorsOrigins };
        Assert.Equal(defaults, options);
        Assert.Empty(options.CorsOrigins);
        Assert.Null(options.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), options.ShutdownGrace);
        Assert.Equal(429, options.RateLimitStatus);
    }

    [Theory]
    [InlineData("--rate-limit-status", "418")]
    [InlineData("--rate-limit-requests", "0")]
    [InlineData("--request-timeout", "0")]
    [InlineData("--shutdown-grace", "-1")]
    [InlineData("--log-content", null)]
    [InlineData("--cors-origin", "https://a.example/path")]
    [InlineData("--support-faq", "/no/such/faq.jsonl")]
    [InlineData("--translation-model", "/no/such/model")]
    [InlineData("--recommend-model", "/no/such/model")]
    public void Bad_values_are_one_line_usage_errors_naming_the_flag(string flag, string? value)
    {
        CliRun run = value is null ? CliRun.Of("serve", "--port", "0", flag) : CliRun.Of("serve", "--port", "0", flag, value);
        Assert.Equal(MynaApp.UsageError, run.ExitCode);
        Assert.StartsWith("error: ", run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(flag, run.Error);
    }

    [Fact]
    public void A_refused_audit_log_fails_the_start_with_exit_1()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 64);
        CliRun run = CliRun.Of("serve", "--model", model.Path, "--port", "0", "--audit-log", "/dev/null");
        Assert.Equal(MynaApp.Failure, run.ExitCode);
        Assert.StartsWith("error: --audit-log /dev/null", run.Error);
    }

    [Fact]
    public void Sigterm_waits_for_the_shutdown_grace_on_serve_only()
    {
        Assert.Equal(TimeSpan.FromSeconds(7 + 20), ServeCommand.TerminationTimeout(MynaApp.BuildRoot().Parse(["serve", "--shutdown-grace", "7"])));
        Assert.Equal(TimeSpan.FromSeconds(30 + 20), ServeCommand.TerminationTimeout(MynaApp.BuildRoot().Parse(["serve"])));
        Assert.Null(ServeCommand.TerminationTimeout(MynaApp.BuildRoot().Parse(["generate", "--prompt", "x"])));
    }
}
