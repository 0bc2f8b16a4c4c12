using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using OpenQA.Selenium;
using Myna.Server;
using Myna.Tests.Text;
using Xunit.Abstractions;

namespace Myna.Tests.Server;

/// <summary>
/// The playground in a real browser: headless chromium loads <c>/</c> from a real server with an API key (under its
/// Content-Security-Policy), the user enters the key, sends a message and watches the reply stream in.
/// </summary>
public sealed class PlaygroundBrowserTests(ITestOutputHelper output)
{
    private const string Key = "sk-playground-test";

    /// <summary>Where the screenshot goes: artifacts/ at the repository root (git-ignored), for people and CI to look at.</summary>
    public static string ScreenshotPath => Path.Combine(TempFolder.RepositoryRoot(), "artifacts", "playground.png");

    /// <summary>Where a failed run leaves what the page showed.</summary>
    public static string FailureScreenshotPath => Path.Combine(TempFolder.RepositoryRoot(), "artifacts", "playground-failure.png");

    [ExternalToolFact(ExternalTool.Chromium)]
    public async Task A_message_streams_into_the_page_a_server_error_is_shown_and_Stop_ends_a_reply()
    {
        ExternalTools.Require(ExternalTool.Chromium);
        var clock = Stopwatch.StartNew();
        // The default model: its text reads as text in the screenshot, and its folder has a model card to show.
        string model = Path.Combine(TempFolder.RepositoryRoot(), "models", "myna-default");
        await using RunningServer server = await RunningServer.StartAsync(model, new ServerOptions { ApiKeys = [Key], ModelDirectory = model });
        using PlaygroundBrowser browser = PlaygroundBrowser.Start();
        IWebDriver page = browser.Driver;
        output.WriteLine($"server and browser up after {clock.ElapsedMilliseconds} ms");

        try
        {
            // 1. The page loads without a key (static files are public) and finds the model; its scripts and styles ran
            //    under default-src 'self', or it would still say "loading" and have no layout.
            page.Navigate().GoToUrl(server.Address);
            browser.WaitFor(_ => browser.State == "ready", TimeSpan.FromSeconds(30), "ready (model listed)");
            Assert.Contains(RunningServer.ModelId, page.FindElement(By.Id("model-name")).Text);
            Assert.Equal("grid", Script<string>(page, "return getComputedStyle(document.querySelector('.layout')).display"));
            browser.WaitFor(d => d.FindElements(By.CssSelector("#model-card h3")).FirstOrDefault()?.Text == "Myna default model", TimeSpan.FromSeconds(10), "the model card rendered");
            Assert.Equal("6", page.FindElement(By.XPath("//dl[@id='model-facts']/dt[.='Layers']/following-sibling::dd[1]")).Text);

            // 2. Without the key the server refuses, and the page shows the server's own message and gives the text back.
            SetField(page, "max-tokens", "48");
            SetField(page, "seed", "7");
            page.FindElement(By.Id("prompt")).SendKeys("Tell me about the sea.");
            page.FindElement(By.Id("send")).Click();
            browser.WaitFor(_ => browser.State == "error", TimeSpan.FromSeconds(30), "the 401 shown");
            IWebElement error = page.FindElement(By.Id("error"));
            Assert.True(error.Displayed);
            Assert.Contains("No API key provided", error.Text);
            Assert.Equal("Tell me about the sea.", page.FindElement(By.Id("prompt")).GetDomProperty("value"));
            Assert.Empty(page.FindElements(By.CssSelector(".message"))); // the refused turn is taken back

            // 3. With the key, the reply streams: record the reply's length at every change the page makes to it.
            page.FindElement(By.Id("api-key")).SendKeys(Key);
            Assert.Equal(Key, Script<string>(page, "return sessionStorage.getItem('myna.apiKey')"));
            Script<object>(page, """
                window.replyLengths = [];
                new MutationObserver(() => {
                  const replies = document.querySelectorAll('.message.assistant .content');
                  if (replies.length > 0) window.replyLengths.push(replies[replies.length - 1].textContent.length);
                }).observe(document.getElementById('messages'), { subtree: true, childList: true, characterData: true });
                return null;
                """);
            var sent = Stopwatch.StartNew();
            page.FindElement(By.Id("send")).Click();
            // The state was "error" (step 2) and turns "ready" only when a reply completes; "streaming" may pass between polls.
            browser.WaitFor(_ => browser.State is "ready" or "error", TimeSpan.FromSeconds(60), "the reply finished");
            output.WriteLine($"reply streamed in {sent.ElapsedMilliseconds} ms");
            Assert.False(page.FindElement(By.Id("error")).Displayed, page.FindElement(By.Id("error")).Text);
            Assert.Equal("ready", browser.State);

            long[] lengths = Script<IReadOnlyCollection<object>>(page, "return window.replyLengths").Select(Convert.ToInt64).ToArray();
            output.WriteLine($"reply lengths seen: {string.Join(", ", lengths)}");
            long[] distinct = lengths.Where(n => n > 0).Distinct().ToArray();
            Assert.True(distinct.Length >= 2, $"the reply should grow in steps; its lengths were {string.Join(", ", lengths)}");
            string reply = page.FindElements(By.CssSelector(".message.assistant .content")).Last().Text;
            Assert.False(string.IsNullOrWhiteSpace(reply));
            Assert.Equal(distinct.Max(), Script<long>(page, "const r = document.querySelectorAll('.message.assistant .content'); return r[r.length - 1].textContent.length"));

            // 4. Usage and speed from the include_usage chunk, and the error of step 2 is gone.
            string usage = page.FindElement(By.Id("usage")).Text;
            Assert.Matches(@"\d+ prompt \+ \d+ completion = \d+ tokens", usage);
            Assert.Contains("tokens/s", usage);

            // 5. Live metrics, polled: a server with /metrics shows the tokens just generated; one without it is said so.
            int completionTokens = int.Parse(Regex.Match(usage, @"(\d+) completion").Groups[1].Value, CultureInfo.InvariantCulture);
            HttpResponseMessage metrics = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { { "X-Api-Key", Key } } });
            if (metrics.IsSuccessStatusCode)
            {
                browser.WaitFor(d => MetricsRow(d, "Completion tokens") is { } shown && long.Parse(shown, NumberStyles.AllowThousands, CultureInfo.InvariantCulture) >= completionTokens,
                    TimeSpan.FromSeconds(10), $"the metrics panel counting the reply's {completionTokens} tokens");
                Assert.Matches(@"^\d+ of \d+$", MetricsRow(page, "Slots used"));
            }
            else
            {
                browser.WaitFor(d => d.FindElement(By.Id("metrics-note")).Text.Contains("does not publish /metrics", StringComparison.Ordinal),
                    TimeSpan.FromSeconds(10), "the metrics panel saying there are none");
            }

            browser.SaveScreenshot(ScreenshotPath);
            output.WriteLine($"screenshot: {ScreenshotPath}");

            // 6. Stop ends a reply mid-stream: what arrived stays, the page is ready for the next message. The seed is fixed
            //    but the conversation is not (where an earlier Stop landed depends on timing), so a reply can end on its own
            //    (a short answer, or between "it started" and the click); then there was nothing to stop, and the step is
            //    tried again with a new message (three times at most).
            SetField(page, "max-tokens", "160");
            string[] messages = ["And the rivers?", "And the seas?", "And the mountains?"];
            for (int attempt = 0; ; attempt++)
            {
                bool stopped = SendAndStopTheReplyWhileStreaming(browser, messages[attempt]);
                if (stopped) browser.WaitFor(_ => browser.State == "ready", TimeSpan.FromSeconds(10), "ready after Stop");
                if (page.FindElement(By.Id("usage")).Text == "Stopped." || attempt == messages.Length - 1) break;
                output.WriteLine($"attempt {attempt + 1}: the reply ended before Stop was clicked; trying again");
            }
            Assert.Equal("Stopped.", page.FindElement(By.Id("usage")).Text);
            Assert.False(string.IsNullOrWhiteSpace(page.FindElements(By.CssSelector(".message.assistant .content")).Last().Text));
            Assert.False(page.FindElement(By.Id("error")).Displayed);

            // 7. New chat during a reply stops it and leaves an empty conversation, not the old reply's remains. A reply
            //    that ends before it is caught streaming is followed by another message, as in step 6.
            string[] moreMessages = ["Sing of the hills.", "Sing of the valleys.", "Sing of the stars."];
            bool caught = false;
            for (int attempt = 0; attempt < moreMessages.Length && !caught; attempt++)
            {
                caught = SendAndCatchTheReplyStreaming(browser, moreMessages[attempt]);
                if (!caught) output.WriteLine($"step 7, attempt {attempt + 1}: the reply ended before it was seen streaming; trying again");
            }
            Assert.True(caught, "no reply of step 7 was seen streaming");
            page.FindElement(By.Id("new-chat")).Click();
            browser.WaitFor(_ => browser.State == "ready", TimeSpan.FromSeconds(10), "ready after New chat");
            Assert.Empty(page.FindElements(By.CssSelector(".message")));
            Assert.Equal("", page.FindElement(By.Id("usage")).Text);
            Assert.True(page.FindElement(By.Id("empty-hint")).Displayed);

            // 8. Nothing the page did broke its Content-Security-Policy.
            string[] violations = browser.ConsoleMessages().Where(m => m.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)).ToArray();
            Assert.True(violations.Length == 0, $"the page broke its Content-Security-Policy:\n{string.Join('\n', violations)}");
        }
        catch
        {
            // What the page showed and logged when it failed, for whoever reads the CI log.
            browser.SaveScreenshot(FailureScreenshotPath);
            foreach (string message in browser.ConsoleMessages()) output.WriteLine(message);
            output.WriteLine($"failure screenshot: {FailureScreenshotPath}");
            throw;
        }
        output.WriteLine($"whole test {clock.ElapsedMilliseconds} ms");
    }

    /// <summary>
    /// Sends <paramref name="message"/> and waits until its reply is either streaming with some text (true) or already
    /// over (false): a short reply can start and end between two polls, and waiting for "streaming" alone would then
    /// wait forever.
    /// </summary>
    private static bool SendAndCatchTheReplyStreaming(PlaygroundBrowser browser, string message)
    {
        IWebDriver page = browser.Driver;
        int expected = page.FindElements(By.CssSelector(".message.assistant .content")).Count + 1;
        page.FindElement(By.Id("prompt")).SendKeys(message);
        page.FindElement(By.Id("send")).Click();
        string state = browser.WaitFor(d =>
        {
            var replies = d.FindElements(By.CssSelector(".message.assistant .content"));
            if (replies.Count < expected) return null;
            string? now = browser.State;
            if (now == "streaming" && replies[expected - 1].Text.Length > 0) return now;
            return now is "ready" or "error" ? now : null;
        }, TimeSpan.FromSeconds(30), "the reply started");
        Assert.NotEqual("error", state);
        return state == "streaming";
    }

    /// <summary>
    /// Sends <paramref name="message"/> and clicks Stop as soon as the page shows its reply streaming; true if it did,
    /// false if the reply ended first. The watch and the click run in the page (a reply of the small default model takes
    /// half a second, about what a few WebDriver round trips between seeing it stream and clicking can take under load).
    /// </summary>
    private static bool SendAndStopTheReplyWhileStreaming(PlaygroundBrowser browser, string message)
    {
        IWebDriver page = browser.Driver;
        int expected = page.FindElements(By.CssSelector(".message.assistant .content")).Count + 1;
        page.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(35);
        page.FindElement(By.Id("prompt")).SendKeys(message);
        page.FindElement(By.Id("send")).Click();
        string outcome = (string)((IJavaScriptExecutor)page).ExecuteAsyncScript("""
            const [expected, done] = arguments;
            const deadline = Date.now() + 30000;
            (function watch() {
              const replies = document.querySelectorAll('.message.assistant .content');
              const state = document.body.dataset.state;
              if (replies.length >= expected && state === 'streaming' && replies[expected - 1].textContent.length > 0) {
                document.getElementById('stop').click();
                done('stopped');
              } else if (replies.length >= expected && (state === 'ready' || state === 'error')) {
                done(state);
              } else if (Date.now() > deadline) {
                done('the reply did not start within 30 s');
              } else {
                setTimeout(watch, 1);
              }
            })();
            """, expected)!;
        Assert.True(outcome is "stopped" or "ready", outcome);
        return outcome == "stopped";
    }

    /// <summary>The value the metrics panel shows for <paramref name="label"/>, or null when it shows no such row.</summary>
    private static string? MetricsRow(IWebDriver page, string label) =>
        page.FindElements(By.XPath($"//dl[@id='metrics']/dt[.='{label}']/following-sibling::dd[1]")).FirstOrDefault()?.Text;

    private static T Script<T>(IWebDriver page, string script) => (T)((IJavaScriptExecutor)page).ExecuteScript(script)!;

    private static void SetField(IWebDriver page, string id, string value)
    {
        IWebElement field = page.FindElement(By.Id(id));
        field.Clear();
        field.SendKeys(value);
    }
}
