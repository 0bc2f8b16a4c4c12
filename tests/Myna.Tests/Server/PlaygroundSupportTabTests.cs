using OpenQA.Selenium;
using Myna.Server;
using Myna.Tests.Apps.Support;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary>
/// The playground's Support assistant tab in headless chromium: switching tabs, asking with the API key the chat tab
/// holds, the answer with its sources, a follow-up in the same conversation, and a hand-off.
/// </summary>
public sealed class PlaygroundSupportTabTests
{
    private const string Key = "sk-support-tab";

    [ExternalToolFact(ExternalTool.Chromium)]
    public async Task The_support_tab_answers_with_sources_follows_up_and_hands_off()
    {
        ExternalTools.Require(ExternalTool.Chromium);
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { ApiKeys = [Key], SupportFaq = SupportFixtures.FaqPath });
        using PlaygroundBrowser browser = PlaygroundBrowser.Start();
        IWebDriver page = browser.Driver;
        page.Navigate().GoToUrl(server.Address);
        browser.WaitFor(_ => browser.State == "ready", TimeSpan.FromSeconds(30), "ready (model listed)");
        page.FindElement(By.Id("api-key")).SendKeys(Key);

        // 1. The tab swaps the panels.
        Assert.False(page.FindElement(By.Id("support-panel")).Displayed);
        page.FindElement(By.Id("tab-support")).Click();
        Assert.True(page.FindElement(By.Id("support-panel")).Displayed);
        Assert.False(page.FindElement(By.Id("chat-panel")).Displayed);
        Assert.Equal("true", page.FindElement(By.Id("tab-support")).GetDomAttribute("aria-selected"));

        // 2. A question is answered from its entry, with the entry listed first among the sources.
        Ask(page, "How do I build a custom kernel?");
        IWebElement first = WaitForAnswers(browser, 1)[0];
        Assert.Contains("make bindeb-pkg", first.FindElement(By.CssSelector(".content")).Text);
        Assert.Equal("kernel", first.FindElements(By.CssSelector(".sources code"))[0].Text);

        // 3. A short follow-up in the same conversation carries the entry; a new conversation does not.
        Ask(page, "How long does that take?");
        IWebElement followUp = WaitForAnswers(browser, 2)[1];
        Assert.Equal("kernel", followUp.FindElements(By.CssSelector(".sources code"))[0].Text);
        Assert.DoesNotContain("handoff", followUp.GetDomAttribute("class"));
        page.FindElement(By.Id("support-new")).Click();
        Ask(page, "How long does that take?");
        IWebElement alone = WaitForAnswers(browser, 1)[0];
        Assert.Contains("handoff", alone.GetDomAttribute("class"));
        Assert.Contains("handed off", alone.FindElement(By.TagName("header")).Text);
        Assert.False(page.FindElement(By.Id("support-error")).Displayed);

        // 4. Back to the chat tab.
        page.FindElement(By.Id("tab-chat")).Click();
        Assert.True(page.FindElement(By.Id("chat-panel")).Displayed);
    }

    private static void Ask(IWebDriver page, string text)
    {
        page.FindElement(By.Id("support-message")).SendKeys(text);
        page.FindElement(By.Id("support-send")).Click();
    }

    private static IReadOnlyList<IWebElement> WaitForAnswers(PlaygroundBrowser browser, int count) =>
        browser.WaitFor(d =>
        {
            var answers = d.FindElements(By.CssSelector("#support-messages .message.assistant"));
            return answers.Count >= count ? answers : null;
        }, TimeSpan.FromSeconds(30), $"{count} support answers");
}
