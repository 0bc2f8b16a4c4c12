using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Myna.Tests.Text;

namespace Myna.Tests.Server;

/// <summary>
/// Headless Debian chromium driven through its own chromedriver (never a downloaded browser: this network has none to
/// offer), with a fresh profile that is deleted afterwards.
/// </summary>
internal sealed class PlaygroundBrowser : IDisposable
{
    /// <summary>The two-column layout as a desktop browser shows it, tall enough that the screenshot holds the model card.</summary>
    private const int Width = 1280, Height = 1300;

    private readonly TempFolder _profile = new();

    private PlaygroundBrowser()
    {
        ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ExternalTools.ChromeDriverPath)!, Path.GetFileName(ExternalTools.ChromeDriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = ExternalTools.ChromiumPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            // Chromium's own connections (updates, sync, QUIC probes) are refused on a closed network and slow its start.
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            $"--user-data-dir={_profile.Path}", $"--window-size={Width},{Height}");
        // The console log tells whether the page broke its Content-Security-Policy (and why a failed run failed).
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public ChromeDriver Driver { get; }

    public static PlaygroundBrowser Start() => new();

    /// <summary>Waits until <paramref name="condition"/> holds, polling the page; fails with <paramref name="what"/> after <paramref name="within"/>.</summary>
    public T WaitFor<T>(Func<IWebDriver, T?> condition, TimeSpan within, string what)
    {
        DateTime deadline = DateTime.UtcNow + within;
        for (;;)
        {
            T? value = condition(Driver);
            if (value is not null && !(value is bool b && !b)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the page did not reach: {what} within {within.TotalSeconds} s (state '{State}')");
            Thread.Sleep(20);
        }
    }

    /// <summary>The browser console's messages since the last call.</summary>
    public IReadOnlyList<string> ConsoleMessages() => Driver.Manage().Logs.GetLog(LogType.Browser).Select(entry => $"{entry.Level}: {entry.Message}").ToList();

    /// <summary>Saves what the window shows as a PNG at <paramref name="path"/>.</summary>
    public void SaveScreenshot(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Driver.GetScreenshot().SaveAsFile(path);
    }

    /// <summary>The page's <c>data-state</c>: loading, ready, streaming or error.</summary>
    public string? State => Driver.FindElement(By.TagName("body")).GetDomAttribute("data-state");

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        _profile.Dispose();
    }
}
