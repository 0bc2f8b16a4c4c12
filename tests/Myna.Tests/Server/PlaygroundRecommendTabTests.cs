using OpenQA.Selenium;
using Myna.Server;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary>
/// The playground's Recommendations tab in headless chromium: switching tabs, a history sent with the API key the chat
/// tab holds, the list with titles, a bad history refused in the page, and back to the chat.
/// </summary>
public sealed class PlaygroundRecommendTabTests : IClassFixture<RecommendApiTests.TrainedRecommender>
{
    private const string Key = "sk-recommend-tab";

    private readonly RecommendApiTests.TrainedRecommender _recommender;

    public PlaygroundRecommendTabTests(RecommendApiTests.TrainedRecommender recommender) => _recommender = recommender;

    [ExternalToolFact(ExternalTool.Chromium)]
    public async Task The_recommend_tab_lists_titled_movies_for_a_history()
    {
        ExternalTools.Require(ExternalTool.Chromium);
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { ApiKeys = [Key], RecommendModel = _recommender.Folder });
        using PlaygroundBrowser browser = PlaygroundBrowser.Start();
        IWebDriver page = browser.Driver;
        page.Navigate().GoToUrl(server.Address);
        browser.WaitFor(_ => browser.State == "ready", TimeSpan.FromSeconds(30), "ready (model listed)");
        page.FindElement(By.Id("api-key")).SendKeys(Key);

        // 1. The tab swaps the panels.
        Assert.False(page.FindElement(By.Id("recommend-panel")).Displayed);
        page.FindElement(By.Id("tab-recommend")).Click();
        Assert.True(page.FindElement(By.Id("recommend-panel")).Displayed);
        Assert.False(page.FindElement(By.Id("chat-panel")).Displayed);
        Assert.False(page.FindElement(By.Id("support-panel")).Displayed);
        Assert.Equal("true", page.FindElement(By.Id("tab-recommend")).GetDomAttribute("aria-selected"));

        // 2. A history gets k movies, with titles where the catalogue has them, none of them already watched.
        IWebElement k = page.FindElement(By.Id("recommend-k"));
        k.Clear();
        k.SendKeys("5");
        page.FindElement(By.Id("recommend-history")).SendKeys(string.Join(", ", _recommender.History));
        page.FindElement(By.Id("recommend-send")).Click();
        var items = browser.WaitFor(d =>
        {
            var rows = d.FindElements(By.CssSelector("#recommend-items li"));
            return rows.Count >= 5 ? rows : null;
        }, TimeSpan.FromSeconds(30), "5 recommendations");
        Assert.Equal(5, items.Count);
        Assert.DoesNotContain(items, row => _recommender.History.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Contains(row.FindElement(By.TagName("code")).Text));
        Assert.All(items, row => Assert.EndsWith("%", row.Text));
        Assert.False(page.FindElement(By.Id("recommend-error")).Displayed);

        // 3. A history that is not ids is refused in the page.
        IWebElement history = page.FindElement(By.Id("recommend-history"));
        history.Clear();
        history.SendKeys("Star Wars");
        page.FindElement(By.Id("recommend-send")).Click();
        Assert.True(page.FindElement(By.Id("recommend-error")).Displayed);

        // 4. Back to the chat tab.
        page.FindElement(By.Id("tab-chat")).Click();
        Assert.True(page.FindElement(By.Id("chat-panel")).Displayed);
        Assert.False(page.FindElement(By.Id("recommend-panel")).Displayed);
    }
}
