using System.Globalization;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Tuner.Reports.Tests.Nightly;
using Tuner.Storage;
using Tuner.Storage.Sqlite;

namespace Tuner.Cli.Tests.Browser;

/// <summary>
/// The pages of <c>tuner report --html</c> and <c>--profile</c>, made from real studies (and a made-up nightly history
/// in a real store), opened in headless Chromium: no console error, nothing loaded from anywhere, tables that sort and
/// filter, every chart with its marks and labels; a screenshot of each page is saved.
/// </summary>
[Collection(BrowserGroup.Name)]
public sealed class ReportPagesTests(HeadlessChromium browser) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-pages").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task StudyPage_ARealRecommendation_SortsFiltersAndEveryChartHasMarksAndLabels()
    {
        string store = Path.Combine(_dir, "s.db");
        (int code, string output, string error) = await CliRunner.RunAsync(_dir,
            ["recommend", "--suite", "digits-mlp", "--time", "30s", "--budget", "1s", "--candidates", "1", "--min-seeds", "3", "--max-seeds", "3", "--storage", store, "--study", "page"]);
        Assert.True(code is 0 or 3, error + output);
        (code, output, error) = await CliRunner.RunAsync(_dir, ["report", "--study", "page", "--storage", store, "--html", "--out", "rep"]);
        Assert.True(code == 0, error + output);
        string page = Path.Combine(_dir, "rep", "page.html");
        Assert.Contains($"html: {page}", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_dir, "rep", "ttt-ecdf.png")) && File.Exists(Path.Combine(_dir, "rep", "samples-throughput.png")));
        Assert.False(File.Exists(Path.Combine(_dir, "rep", "pareto.png")));

        IReadOnlyList<StoredTrial> trials;
        await using (var storage = await SqliteStudyStorage.OpenAsync(store))
        {
            trials = await storage.GetTrialsAsync(1, CancellationToken.None);
        }

        string html = await File.ReadAllTextAsync(page);
        Assert.Contains("<tr", html, StringComparison.Ordinal); // the tables are in the file itself, readable without JavaScript
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Empty(browser.Open(page));
        IWebDriver d = browser.Driver;
        Assert.Equal(0L, Js("return document.querySelectorAll('script[src], link[href], img[src], iframe, object').length;"));
        Assert.Equal(["summary", "recommendation", "best-so-far", "ecdf", "samples-throughput", "importance", "parallel", "trials"], d.FindElements(By.CssSelector("main > section")).Select(s => s.GetAttribute("id")));

        // Every chart: marks, a title, and axis labels as text.
        var charts = d.FindElements(By.CssSelector("figure.chart svg"));
        Assert.Equal(6, charts.Count); // best so far, two ECDFs (search, validation), samples/throughput, importance, parallel coordinates
        foreach (IWebElement chart in charts)
        {
            string title = chart.FindElement(By.CssSelector("title")).GetAttribute("textContent") ?? string.Empty;
            Assert.True(chart.FindElements(By.CssSelector(".mark")).Count > 0, $"no marks in '{title}'");
            Assert.NotEmpty(chart.FindElements(By.CssSelector("text.tick")));
        }

        // The trials table: one row per trial; sorting by time-to-target; filtering by status.
        IWebElement table = d.FindElement(By.Id("trials-table"));
        Assert.Equal(trials.Count, table.FindElements(By.CssSelector("tbody tr")).Count);
        IWebElement header = table.FindElements(By.CssSelector("thead th")).First(h => h.Text.StartsWith("time-to-target", StringComparison.Ordinal));
        header.Click();
        double[] ascending = Column(table, 3);
        Assert.Equal(ascending.Order(), ascending);
        Assert.Equal("ascending", header.GetAttribute("aria-sort"));
        header.Click();
        double[] descending = Column(table, 3);
        Assert.Equal(descending.OrderDescending(), descending);

        int reached = trials.Count(t => t.Record?.Status == Core.Trials.TrialStatus.Reached);
        new SelectElement(d.FindElement(By.CssSelector(".filters select[data-attribute='status']"))).SelectByText("Reached");
        Assert.Equal(reached, table.FindElements(By.CssSelector("tbody tr")).Count(r => r.Displayed));
        Assert.Equal($"{reached} of {trials.Count} rows", d.FindElement(By.CssSelector(".filters .count")).Text);
        new SelectElement(d.FindElement(By.CssSelector(".filters select[data-attribute='status']"))).SelectByText("any");

        Assert.Contains("tuner run --suite digits-mlp", d.FindElement(By.CssSelector("#recommendation code")).Text, StringComparison.Ordinal);
        Assert.Equal(2, d.FindElements(By.CssSelector("#recommendation-table tbody tr")).Count);
        Assert.Empty(browser.Errors());
        Console.WriteLine($"screenshot: {browser.Screenshot("study")}");
    }

    [Fact]
    public async Task NightlyPage_ThreeNights_VerdictFirstFindingsHighlightedAndLinksBetweenNights()
    {
        string store = Path.Combine(_dir, "n.db");
        await using (IStudyStorage _ = await NightlyHistoryFixture.CreateAsync(store))
        {
        }

        (int code, string output, string error) = await CliRunner.RunAsync(_dir, ["report", "--study", NightlyHistoryFixture.Manifest, "--night", "all", "--storage", store, "--html", "--out", "nights"]);
        Assert.True(code == 7, error + output); // the third night has a regression
        string[] pages = [.. NightlyHistoryFixture.Nights.Select(n => Path.Combine(_dir, "nights", n, "nightly.html"))];
        Assert.All(pages, p => Assert.True(File.Exists(p), p));

        Assert.Empty(browser.Open(pages[2]));
        IWebDriver d = browser.Driver;
        IWebElement first = d.FindElement(By.CssSelector("main > section"));
        Assert.Equal("verdict", first.GetAttribute("id"));
        Assert.StartsWith("REGRESSION", first.FindElement(By.CssSelector(".verdict")).Text, StringComparison.Ordinal);
        IWebElement regression = Assert.Single(d.FindElements(By.CssSelector("tr.regression")));
        Assert.Contains("fast", regression.Text, StringComparison.Ordinal);
        Assert.Contains("REGRESSION", regression.Text, StringComparison.Ordinal);
        Assert.Matches(@"\+\d+(\.\d+)?%", regression.Text); // the effect size
        Assert.Contains(d.FindElements(By.CssSelector("tr.improvement")), r => r.Text.Contains("tuned", StringComparison.Ordinal));
        Assert.Contains("p = ", first.Text, StringComparison.Ordinal);

        IWebElement trend = d.FindElements(By.CssSelector("figure.chart svg")).First();
        Assert.Equal(4, trend.FindElements(By.CssSelector(".mark.band")).Count); // one interval band per configuration
        Assert.True(trend.FindElements(By.CssSelector(".mark.line")).Count >= 4);
        Assert.Equal(3, trend.FindElements(By.CssSelector("text.tick")).Count(t => t.Text.StartsWith("2026-11-0", StringComparison.Ordinal)));
        Assert.Contains(d.FindElements(By.CssSelector("figure.chart svg title")), t => (t.GetAttribute("textContent") ?? string.Empty).Contains("machine's speed", StringComparison.Ordinal));
        Console.WriteLine($"screenshot: {browser.Screenshot("nightly")}");

        d.FindElement(By.PartialLinkText("previous night")).Click();
        Assert.EndsWith($"/{NightlyHistoryFixture.Nights[1]}/nightly.html", d.Url, StringComparison.Ordinal);
        Assert.Contains(NightlyHistoryFixture.Nights[1], d.FindElement(By.TagName("h1")).Text, StringComparison.Ordinal);
        Assert.NotEmpty(d.FindElements(By.PartialLinkText("next night")));
        Assert.Empty(browser.Errors());

        // The index of the history: every night, newest first, the regression night marked, each linked to its page.
        d.FindElement(By.PartialLinkText("all nights")).Click();
        Assert.EndsWith("/nights/index.html", d.Url, StringComparison.Ordinal);
        var rows = d.FindElements(By.CssSelector("#nights-table tbody tr"));
        Assert.Equal(NightlyHistoryFixture.Nights.Reverse(), rows.Select(r => r.FindElement(By.TagName("a")).Text));
        Assert.Equal(["regression"], rows.Select(r => r.GetAttribute("class") ?? string.Empty).Where(c => c.Length > 0));
        rows[0].FindElement(By.TagName("a")).Click();
        Assert.EndsWith($"/{NightlyHistoryFixture.Nights[2]}/nightly.html", d.Url, StringComparison.Ordinal);
        Assert.Empty(browser.Errors());
    }

    [Fact]
    public async Task ProfilePage_ThreeSuites_EveryTechniqueProfiledWithItsCurveAndRatios()
    {
        string store = Path.Combine(_dir, "p.db");
        string space = Path.Combine(_dir, "space.json");
        await File.WriteAllTextAsync(space, """{ "parameters": {}, "techniques": { "ema": {}, "label_smoothing": { "fixed": { "alpha": 0.1 } } } }""");
        string[] suites = ["digits-mlp", "digits-cnn", "fashion-mlp"];
        foreach (string suite in suites)
        {
            (int c, string o, string e) = await CliRunner.RunAsync(_dir,
                ["search", "--suite", suite, "--tuner", "grid", "--space", space, "--budget", "80steps", "--target", "0.3", "--cap", "0", "--no-prune", "--storage", store, "--study", "p-" + suite]);
            Assert.True(c == 0, e + o);
        }

        (int code, string output, string error) = await CliRunner.RunAsync(_dir,
            ["report", "--profile", "p-digits-mlp", "--profile", "p-digits-cnn,p-fashion-mlp", "--storage", store, "--out", "prof"]);
        Assert.True(code == 0, error + output);
        Assert.Contains("performance profile of 3 techniques over 3 suites", output, StringComparison.Ordinal);
        string[] ratios = await File.ReadAllLinesAsync(Path.Combine(_dir, "prof", "profile-ratios.csv"));
        Assert.Equal(1 + 9, ratios.Length); // 3 suites x 3 solvers
        Assert.True(new FileInfo(Path.Combine(_dir, "prof", "profile.png")).Length > 10_000);

        Assert.Empty(browser.Open(Path.Combine(_dir, "prof", "profile.html")));
        IWebDriver d = browser.Driver;
        IWebElement chart = d.FindElement(By.CssSelector("figure.chart svg"));
        Assert.Equal(3, chart.FindElements(By.CssSelector(".mark.line")).Count);
        Assert.Equal(["(no technique)", "ema", "label_smoothing"], chart.FindElements(By.CssSelector(".legend text.legend-label")).Select(t => t.Text).Order(StringComparer.Ordinal));
        Assert.Equal(3, d.FindElements(By.CssSelector("#profile-table tbody tr")).Count);
        foreach (IWebElement row in d.FindElements(By.CssSelector("#profile-table tbody tr")))
        {
            double wins = double.Parse(row.FindElements(By.TagName("td"))[1].Text, CultureInfo.InvariantCulture);
            Assert.InRange(wins, 0, 1);
        }

        Assert.Empty(browser.Errors());
        Console.WriteLine($"screenshot: {browser.Screenshot("profile")}");
    }

    private object? Js(string script) => ((IJavaScriptExecutor)browser.Driver).ExecuteScript(script);

    /// <summary>A numeric column's sort values, in the table's current row order.</summary>
    private static double[] Column(IWebElement table, int column) =>
        [.. table.FindElements(By.CssSelector("tbody tr")).Select(r => double.Parse(r.FindElements(By.TagName("td"))[column].GetAttribute("data-sort")!, CultureInfo.InvariantCulture))];
}
