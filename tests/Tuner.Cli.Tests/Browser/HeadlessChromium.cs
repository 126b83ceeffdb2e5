using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Tuner.Cli.Tests.Browser;

/// <summary>The tests that share one headless Chromium.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserGroup : ICollectionFixture<HeadlessChromium>
{
    public const string Name = "browser";
}

/// <summary>
/// Debian's Chromium driven by Debian's ChromeDriver through Selenium (no browser download: none can work here), headless,
/// started once for the collection and quit after it. Console messages of the pages are collected, so a test can fail
/// on any error a page logs. Screenshots go to <c>$TUNER_SCREENSHOTS</c> when set, else to a folder under the test
/// output (<c>screenshots/</c>), and the path of each is printed.
/// </summary>
/// <remarks>Without chromium and chromium-driver every browser test FAILS naming the packages (never skipped).</remarks>
public sealed class HeadlessChromium : IDisposable
{
    private const string InstallAdvice = "install them with `apt-get install -y --no-install-recommends chromium chromium-driver` (Debian 12: Chromium and ChromeDriver 156)";

    private readonly ChromeDriver _driver;

    public HeadlessChromium()
    {
        const string Browser = "/usr/bin/chromium", Driver = "/usr/bin/chromedriver";
        if (!File.Exists(Browser) || !File.Exists(Driver))
        {
            throw new InvalidOperationException($"the browser tests need {Browser} and {Driver}: {InstallAdvice}");
        }

        var options = new ChromeOptions { BinaryLocation = Browser };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000", "--hide-scrollbars");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        ChromeDriverService service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        _driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        ScreenshotFolder = Environment.GetEnvironmentVariable("TUNER_SCREENSHOTS") is { Length: > 0 } folder
            ? folder
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public IWebDriver Driver => _driver;

    public string ScreenshotFolder { get; }

    /// <summary>Opens a local file and returns the page's console errors so far (a page with an error fails its test).</summary>
    public IReadOnlyList<string> Open(string path)
    {
        _ = _driver.Manage().Logs.GetLog(LogType.Browser); // drop what an earlier page logged
        _driver.Navigate().GoToUrl(new Uri(Path.GetFullPath(path)).AbsoluteUri);
        return Errors();
    }

    /// <summary>Console messages at level SEVERE since the last call.</summary>
    public IReadOnlyList<string> Errors() =>
        [.. _driver.Manage().Logs.GetLog(LogType.Browser).Where(e => e.Level == LogLevel.Severe).Select(e => e.Message)];

    /// <summary>Saves a full-page screenshot as NAME.png and returns its path.</summary>
    public string Screenshot(string name)
    {
        // The whole page: the window is stretched to the document's height for the shot.
        long height = (long)((IJavaScriptExecutor)_driver).ExecuteScript("window.scrollTo(0, 0); return Math.min(document.documentElement.scrollHeight, 12000);")!;
        _driver.Manage().Window.Size = new System.Drawing.Size(1400, (int)Math.Max(1000, height));
        string path = Path.Combine(ScreenshotFolder, name + ".png");
        ((ITakesScreenshot)_driver).GetScreenshot().SaveAsFile(path);
        _driver.Manage().Window.Size = new System.Drawing.Size(1400, 1000);
        return path;
    }

    public void Dispose()
    {
        _driver.Quit();
        _driver.Dispose();
    }
}
