using System.Globalization;
using Tuner.Core.Regression;
using Tuner.Reports.Nightly;

namespace Tuner.Reports.Html;

/// <summary>
/// The HTML page of one night of a nightly history: the verdict first, then per suite the tracked configurations
/// against their history (regressions and improvements highlighted with effect size, interval and p-value), each
/// configuration's time-to-target trend with its interval band, the machine's speed night by night, and links to the
/// previous and next nights' pages (sibling folders, as <c>tuner report --night all --html</c> writes them).
/// </summary>
public static class NightlyPage
{
    /// <summary>The page's file name in a night's folder.</summary>
    public const string FileName = "nightly.html";

    public static HtmlPage Build(NightReport report, string? previousNight, string? nextNight, bool linkIndex = false)
    {
        ArgumentNullException.ThrowIfNull(report);
        var page = new HtmlPage($"Nightly {report.Manifest}: night {report.Night}", $"{report.Environment}; policy: {Describe(report.Policy)}");
        if (linkIndex)
        {
            page.Link("all nights", $"../{NightlyIndexPage.FileName}");
        }

        if (previousNight is not null)
        {
            page.Link($"previous night ({previousNight})", $"../{previousNight}/{FileName}");
        }

        if (nextNight is not null)
        {
            page.Link($"next night ({nextNight})", $"../{nextNight}/{FileName}");
        }

        var regressions = report.Findings(Verdict.Regression).ToList();
        var improvements = report.Findings(Verdict.Improvement).ToList();
        var verdict = new System.Text.StringBuilder();
        verdict.Append(HtmlPage.P(
            regressions.Count > 0
                ? Invariant($"REGRESSION: {regressions.Count} significant regression(s) against the history; {improvements.Count} improvement(s).")
                : Invariant($"No regression: every tracked configuration is within its history ({improvements.Count} improvement(s))."),
            regressions.Count > 0 ? "verdict bad" : "verdict"));
        if (regressions.Count + improvements.Count > 0)
        {
            verdict.Append("<ul>");
            foreach ((SuiteNight suite, ConfigurationNight c, MetricComparison m) in regressions.Concat(improvements))
            {
                verdict.Append("<li><span class=\"tag ").Append(m.Verdict == Verdict.Regression ? "regression\">REGRESSION" : "improvement\">improvement").Append("</span> ")
                    .Append(HtmlPage.E(Invariant($"{suite.Suite} / {c.Label}: {m.Metric} {Percent(m.Change)}{Interval(m)}, p = {NightlyFormat.PText(m.PValue)}"))).Append("</li>");
            }

            verdict.Append("</ul>");
        }

        page.Section("verdict", "Verdict", verdict.ToString());
        foreach (SuiteNight suite in report.Suites)
        {
            page.Section("suite-" + Id(suite.Suite), $"{suite.Suite} (budget {suite.Budget}, target {suite.TargetMetric} {suite.TargetValue.ToString("0.####", CultureInfo.InvariantCulture)})", Suite(suite));
        }

        return page;
    }

    private static string Suite(SuiteNight suite)
    {
        var table = new HtmlTable("table-" + Id(suite.Suite), sortable: true, "configuration", "reached", "median time-to-target (s)", "95% CI (s)", "vs baseline", "vs history", "95% CI of the change", "p", "verdict", "history (runs / nights)");
        foreach (ConfigurationNight c in suite.Configurations)
        {
            MetricComparison time = c.Comparison.Metric(Metrics.TimeToTarget);
            MetricComparison? flagged = c.Comparison.Metrics.FirstOrDefault(m => m.Verdict == Verdict.Regression) ?? c.Comparison.Metrics.FirstOrDefault(m => m.Verdict == Verdict.Improvement);
            MetricComparison shown = flagged ?? time;
            string word = flagged is null ? Word(time.Verdict) : $"{Word(flagged.Verdict)} ({flagged.Metric})";
            table.Add(
            [
                Cell.Text(c.Label + (c.Slowdown != 1 ? Invariant($" (slowed x{c.Slowdown:0.##})") : string.Empty)),
                Cell.Text(Invariant($"{c.Reached}/{c.Runs.Count}")),
                Cell.Number(c.TimeToTarget.Estimate, 2, "not reached"),
                Cell.Text(Range(c.TimeToTarget.Low, c.TimeToTarget.High)),
                Cell.Number(c.SpeedUpVsBaseline?.Estimate, 2, "-", "x"),
                Cell.Text(Percent(shown.Change)),
                Cell.Text(double.IsNaN(shown.ChangeLow) ? "-" : Invariant($"{Percent(shown.ChangeLow)} to {Percent(shown.ChangeHigh)}")),
                Cell.Number(shown.PValue, 4),
                Cell.Raw(flagged is null ? HtmlPage.E(word) : $"<span class=\"tag {(flagged.Verdict == Verdict.Regression ? "regression" : "improvement")}\">{HtmlPage.E(word)}</span>", word),
                Cell.Text(Invariant($"{c.Comparison.HistoryRuns} / {c.Comparison.HistoryNights}")),
            ], cssClass: flagged?.Verdict switch { Verdict.Regression => "regression", Verdict.Improvement => "improvement", _ => null });
        }

        string[] nights = [.. suite.Configurations.SelectMany(c => c.Trend.Select(p => p.Night)).Concat(suite.MachineSpeeds.Select(m => m.Night)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var trend = new SvgPlot($"{suite.Suite}: median time-to-target night by night (band: 95% interval)", "night", "time-to-target (s)", height: 420)
        {
            XCategories = Short(nights),
            Caption = "One line per tracked configuration through its nightly medians, over the band of its 95% bootstrap interval; a hollow circle at the top marks a night whose median seed did not reach the target. Hover a point for its interval and how many seeds reached the target.",
        };
        int k = 0;
        foreach (ConfigurationNight c in suite.Configurations)
        {
            var points = c.Trend.Select(p => (X: (double)Array.IndexOf(nights, p.Night), P: p)).ToList();
            trend.Band(c.Label, points.Select(p => (p.X, p.P.TimeToTarget.Low, p.P.TimeToTarget.High)), k);
            trend.Line(c.Label, points.Select(p => (p.X, p.P.TimeToTarget.Estimate)), k);
            trend.Points(string.Empty, points.Where(p => double.IsFinite(p.P.TimeToTarget.Estimate))
                .Select(p => (p.X, p.P.TimeToTarget.Estimate, Invariant($"{c.Label}, {p.P.Night}: median {p.P.TimeToTarget.Estimate:0.00} s [{HtmlPage.N(p.P.TimeToTarget.Low)}, {HtmlPage.N(p.P.TimeToTarget.High)}], reached {p.P.Reached}/{p.P.Runs}{(p.P.Injected ? ", injected slowdown" : string.Empty)}"))), k, hollow: false, radius: 3);
            k++;
        }

        double top = suite.Configurations.SelectMany(c => c.Trend).Select(p => p.TimeToTarget.High).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        k = 0;
        foreach (ConfigurationNight c in suite.Configurations)
        {
            trend.Points(string.Empty, c.Trend.Where(p => !double.IsFinite(p.TimeToTarget.Estimate))
                .Select(p => ((double)Array.IndexOf(nights, p.Night), top, $"{c.Label}, {p.Night}: the median seed did not reach the target ({p.Reached}/{p.Runs})")), k, hollow: true, radius: 6);
            k++;
        }

        var machine = new SvgPlot($"{suite.Suite}: the machine's speed (milliseconds per step of the reference workload)", "night", "ms per reference step", height: 260)
        {
            XCategories = Short(nights),
            Caption = "A plain-TorchSharp MLP step timed before each night's trials: when it rises, the machine was slower that night, and the history is scaled to it before comparing. Nights without a measurement are left out.",
        };
        machine.Line("reference step time", suite.MachineSpeeds.Where(m => m.StepSeconds is not null).Select(m => ((double)Array.IndexOf(nights, m.Night), m.StepSeconds!.Value * 1000)), 2);
        machine.Points(string.Empty, suite.MachineSpeeds.Where(m => m.StepSeconds is not null).Select(m => ((double)Array.IndexOf(nights, m.Night), m.StepSeconds!.Value * 1000, Invariant($"{m.Night}: {m.StepSeconds * 1000:0.000} ms per step"))), 2, radius: 3);
        string notes = suite.Notes.Count == 0 ? string.Empty : "<ul class=\"note\">" + string.Concat(suite.Notes.Select(n => $"<li>{HtmlPage.E(n)}</li>")) + "</ul>";
        string machineNote = suite.MachineVsHistory is double ratio ? HtmlPage.P(Invariant($"Tonight's reference step took {ratio:0.00}x the history's."), "note") : string.Empty;
        return table.Render() + notes + trend.Render() + machine.Render() + machineNote;
    }

    private static string Describe(RegressionPolicy policy) => string.Create(CultureInfo.InvariantCulture,
        $"a change must be at least {policy.MinEffect * 100:0.#}% with p < {policy.Alpha} (rank test; history: the last {policy.HistoryNights} comparable nights)");

    private static string Percent(double change) => double.IsNaN(change) ? "-" : double.IsPositiveInfinity(change) ? "+inf" : double.IsNegativeInfinity(change) ? "-inf" : NightlyFormat.Percent(change);

    /// <summary>An interval of seconds; an end where the seeds did not reach the target reads "not reached".</summary>
    internal static string Range(double low, double high) =>
        $"{(double.IsFinite(low) ? HtmlPage.N(low) : "not reached")} to {(double.IsFinite(high) ? HtmlPage.N(high) : "not reached")}";

    private static string Interval(MetricComparison m) =>
        double.IsNaN(m.ChangeLow) ? string.Empty : Invariant($" (95% CI {NightlyFormat.Percent(m.ChangeLow)} to {NightlyFormat.Percent(m.ChangeHigh)})");

    private static string Word(Verdict verdict) => verdict switch
    {
        Verdict.Regression => "REGRESSION",
        Verdict.Improvement => "improvement",
        Verdict.Noisy => "noisy",
        Verdict.NoHistory => "no history",
        _ => "unchanged",
    };

    /// <summary>Night stamps shortened for an axis: the date and hour, or as much more as it takes to tell them apart.</summary>
    private static string[] Short(string[] nights)
    {
        for (int length = 13; length < nights.Select(n => n.Length).DefaultIfEmpty(0).Max(); length++)
        {
            string[] cut = [.. nights.Select(n => n.Length > length ? n[..length] : n)];
            if (cut.Distinct(StringComparer.Ordinal).Count() == cut.Length)
            {
                return cut;
            }
        }

        return nights;
    }

    private static string Id(string text) => string.Concat(text.Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '-'));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The index of a nightly history (<c>tuner report --night all --html</c>): every night, newest first, with its verdict and a link to its page.</summary>
public static class NightlyIndexPage
{
    /// <summary>The index's file name, beside the nights' folders.</summary>
    public const string FileName = "index.html";

    public static HtmlPage Build(string manifest, IReadOnlyList<NightReport> nights)
    {
        ArgumentNullException.ThrowIfNull(nights);
        var page = new HtmlPage($"Nightly {manifest}: {nights.Count} nights", "each night against its history; newest first");
        var table = new HtmlTable("nights-table", sortable: true, "night", "verdict", "regressions", "improvements", "suites", "configurations");
        foreach (NightReport night in nights.Reverse())
        {
            int regressions = night.Findings(Verdict.Regression).Count();
            int improvements = night.Findings(Verdict.Improvement).Count();
            string verdict = regressions > 0 ? "REGRESSION" : "no regression";
            table.Add(
            [
                Cell.Raw($"<a href=\"{HtmlPage.E(night.Night)}/{NightlyPage.FileName}\">{HtmlPage.E(night.Night)}</a>", night.Night),
                Cell.Raw(regressions > 0 ? $"<span class=\"tag regression\">{verdict}</span>" : HtmlPage.E(verdict), verdict),
                Cell.Number(regressions, 0),
                Cell.Number(improvements, 0),
                Cell.Text(string.Join(", ", night.Suites.Select(s => s.Suite))),
                Cell.Number(night.Suites.Sum(s => s.Configurations.Count), 0),
            ], cssClass: regressions > 0 ? "regression" : null);
        }

        page.Section("nights", "Nights", table.Render() + HtmlPage.P("Each night's page has its findings, trends and machine speed; a regression is a change of at least the policy's minimum effect with p below its alpha, against the last comparable nights.", "note"));
        return page;
    }
}
