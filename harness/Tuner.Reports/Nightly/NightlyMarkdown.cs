using System.Text;
using Tuner.Core.Regression;
using static Tuner.Reports.Nightly.NightlyFormat;

namespace Tuner.Reports.Nightly;

/// <summary>
/// The night's Markdown summary, fit for a CI job summary page (e.g. appended to <c>$GITHUB_STEP_SUMMARY</c>): the
/// verdict first, one table of every tracked configuration, then regressions, improvements and warnings with effect
/// sizes and p-values, and the set-up. Culture-invariant; the same report always gives the same text.
/// </summary>
public static class NightlyMarkdown
{
    public static string Render(NightReport report, IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(files);
        var md = new StringBuilder();
        var regressions = report.Findings(Verdict.Regression).ToList();
        var improvements = report.Findings(Verdict.Improvement).ToList();
        Line(md, Invariant($"# Nightly `{report.Manifest}`: night {report.Night}"));
        Line(md);
        int regressed = regressions.Select(f => (f.Suite.Suite, f.Configuration.Label)).Distinct().Count();
        Line(md, regressions.Count > 0
            ? Invariant($"**REGRESSION** in {regressed} configuration(s) against the history ({string.Join(", ", regressions.Select(f => $"{f.Suite.Suite} / {f.Configuration.Label}: {Name(f.Metric.Metric)} {Change(f.Metric)}, p = {PText(f.Metric.PValue)}").Distinct())}).")
            : improvements.Count > 0 ? "**No regression**; improvements below." : "**No regression** against the history.");
        Line(md);
        Line(md, "| suite | configuration | reached | time to target, s: median [95% CI] | vs baseline | vs history | p | throughput vs history | verdict |");
        Line(md, "|---|---|---|---|---|---|---|---|---|");
        foreach (SuiteNight suite in report.Suites)
        {
            foreach (ConfigurationNight c in suite.Configurations)
            {
                MetricComparison time = c.Comparison.Metric(Metrics.TimeToTarget);
                MetricComparison throughput = c.Comparison.Metric(Metrics.Throughput);
                Line(md, Invariant($"| {suite.Suite} | {Escape(c.Label)}{(c.Slowdown > 1 ? $" (slowdown x{Number(c.Slowdown)} injected)" : string.Empty)} | {c.Reached}/{c.Runs.Count} | {Seconds(c.TimeToTarget.Estimate)} [{Seconds(c.TimeToTarget.Low)}, {Seconds(c.TimeToTarget.High)}] | {(c.IsBaseline ? "baseline" : SpeedUp(c))} | {Change(time)} | {PText(time.PValue)} | {Change(throughput)} | {Overall(c.Comparison)} |"));
            }
        }

        Line(md);
        Line(md, "Time to target is charged training time to the target on the validation split; \"vs baseline\" is the baseline's median over this one's (higher is faster); \"vs history\" is tonight's median over the history's (+ is slower); p is one-sided in the direction of the change.");
        Section(md, "Regressions", regressions.Select(Finding), "none");
        Section(md, "Improvements", improvements.Select(Finding), "none");
        var warnings = report.Findings(Verdict.Noisy).Select(f => Invariant($"{f.Suite.Suite} / {Escape(f.Configuration.Label)}, {Name(f.Metric.Metric)} {Change(f.Metric)} (p = {PText(f.Metric.PValue)}): {f.Metric.Note}")).ToList();
        warnings.AddRange(
            from s in report.Suites
            from c in s.Configurations
            from m in c.Comparison.Metrics
            where m.Verdict == Verdict.Unchanged && m.Note.StartsWith("noisy", StringComparison.Ordinal)
            select Invariant($"{s.Suite} / {Escape(c.Label)}, {Name(m.Metric)}: {m.Note}"));
        warnings.AddRange(report.Suites.SelectMany(s => s.Configurations.Where(c => c.Comparison.Metrics.All(m => m.Verdict == Verdict.NoHistory)).Select(c => Invariant($"{s.Suite} / {Escape(c.Label)}: no earlier comparable night yet; nothing compared"))));
        warnings.AddRange(report.Suites.SelectMany(s => s.Notes.Select(n => $"{s.Suite}: {n}")));
        warnings.AddRange(report.Suites.SelectMany(s => s.Configurations.Where(c => c.Slowdown > 1).Select(c => Invariant($"{s.Suite} / {Escape(c.Label)}: slowdown x{Number(c.Slowdown)} injected (a test of the detector); this night never becomes history"))));
        Section(md, "Warnings", warnings, "none");

        Line(md);
        Line(md, "## Reach probability and throughput");
        Line(md);
        Line(md, "| suite | configuration | reached tonight | reached in history | change | p | throughput tonight | throughput history | change | p |");
        Line(md, "|---|---|---|---|---|---|---|---|---|---|");
        foreach (SuiteNight suite in report.Suites)
        {
            foreach (ConfigurationNight c in suite.Configurations)
            {
                MetricComparison reach = c.Comparison.Metric(Metrics.ReachProbability);
                MetricComparison throughput = c.Comparison.Metric(Metrics.Throughput);
                Line(md, Invariant($"| {suite.Suite} | {Escape(c.Label)} | {Share(reach.Tonight)} | {Share(reach.History)} | {Points(reach.Change)} | {PText(reach.PValue)} | {Rate(throughput, throughput.Tonight)} | {Rate(throughput, throughput.History)} | {Percent(throughput.Change)} | {PText(throughput.PValue)} |"));
            }
        }

        Line(md);
        Line(md, "## Set-up");
        Line(md);
        RegressionPolicy p = report.Policy;
        Line(md, Invariant($"- Regression rule: one-sided Mann-Whitney U (time to target, throughput) or Fisher's exact test (reach), p < {PText(p.Alpha)}, and a change of at least {p.MinEffect * 100:0.#}%; the minimum rises to the coefficient of variation when that exceeds {p.MaxCv * 100:0.#}%, and to twice the night-to-night CV of the history's medians (noise analyser). Throughput is compared paired with the reference workload (samples per reference step, each timing window against the reference timed at its ends) when every trial has it, else in samples/s with the history scaled to tonight's machine speed; time to target is always compared scaled. History: up to {p.HistoryNights} earlier comparable nights, pooled."));
        foreach (SuiteNight suite in report.Suites)
        {
            ConfigurationNight? first = suite.Configurations.Count > 0 ? suite.Configurations[0] : null;
            string machine = suite.MachineVsHistory is double m
                ? Invariant($"; machine speed (reference workload) {m:0.00}x the history's step time, history scaled to it")
                : "; machine speed not measured for every night, times compared as measured";
            Line(md, Invariant($"- {suite.Suite}: budget {suite.Budget}, target {suite.TargetMetric} {Number(suite.TargetValue)}, seeds {string.Join(" ", first?.Runs.Select(r => r.Seed) ?? [])}{machine}"));
        }

        Line(md, Invariant($"- Started {CsvTable.Time(report.StartedAt)}; machine: {report.Environment}"));
        string? commit = report.Suites.SelectMany(s => s.Configurations).Select(c => c.GitCommit).FirstOrDefault(c => c is not null);
        Line(md, "- Commit: " + (commit ?? "unknown"));
        if (files.Count > 0)
        {
            Line(md, "- Files: " + string.Join(", ", files.Select(f => Invariant($"[{f}]({f})"))));
        }

        return md.ToString();
    }

    public static void Write(string path, NightReport report, IReadOnlyList<string> files)
    {
        string text = Render(report, files);
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }

    private static string Finding((SuiteNight Suite, ConfigurationNight Configuration, MetricComparison Metric) f)
    {
        MetricComparison m = f.Metric;
        string interval = double.IsNaN(m.ChangeLow) ? string.Empty : Invariant($" (95% CI {Percent(m.ChangeLow)} to {Percent(m.ChangeHigh)})");
        string test = m.Metric == Metrics.ReachProbability ? "Fisher's exact test" : "Mann-Whitney U";
        string note = m.Note.Length > 0 ? "; " + m.Note : string.Empty;
        return Invariant($"**{f.Suite.Suite} / {Escape(f.Configuration.Label)}**: {Name(m.Metric)} {Change(m)}{interval}, p = {PText(m.PValue)} ({test}, one-sided); tonight {Value(m.Metric, m.Tonight)} over {f.Configuration.Comparison.TonightRuns} seeds, history {Value(m.Metric, m.History)} over {f.Configuration.Comparison.HistoryRuns} runs in {f.Configuration.Comparison.HistoryNights} night(s){note}");
    }

    private static string Name(string metric) => metric switch
    {
        Metrics.TimeToTarget => "time to target",
        Metrics.ReachProbability => "reach probability",
        _ => "throughput",
    };

    private static string Change(MetricComparison m) => m.Metric == Metrics.ReachProbability ? Points(m.Change) : Percent(m.Change);

    private static string Value(string metric, double value) => metric switch
    {
        Metrics.TimeToTarget => Seconds(value) + (double.IsFinite(value) ? " s" : string.Empty),
        Metrics.ReachProbability => Share(value),
        _ => Whole(value) + " samples/s",
    };

    private static string Share(double share) => double.IsNaN(share) ? "n/a" : (share * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + "%";

    /// <summary>A throughput in its comparison's units: samples per reference step (paired) or samples/s.</summary>
    private static string Rate(MetricComparison throughput, double value) =>
        !double.IsFinite(value) ? "n/a"
        : throughput.Basis == Metrics.Paired ? value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " per ref. step"
        : Whole(value) + "/s";

    private static string Whole(double value) => double.IsFinite(value) ? value.ToString("0", System.Globalization.CultureInfo.InvariantCulture) : "n/a";

    private static string SpeedUp(ConfigurationNight c) =>
        c.SpeedUpVsBaseline is { } s ? Invariant($"{Ratio(s.Estimate)} [{Ratio(s.Low)}, {Ratio(s.High)}]") : "n/a";

    private static string Overall(ConfigurationComparison comparison)
    {
        var regressed = comparison.Metrics.Where(m => m.Verdict == Verdict.Regression).Select(m => Name(m.Metric)).ToList();
        if (regressed.Count > 0)
        {
            return "**REGRESSION** (" + string.Join(", ", regressed) + ")";
        }

        var improved = comparison.Metrics.Where(m => m.Verdict == Verdict.Improvement).Select(m => Name(m.Metric)).ToList();
        return improved.Count > 0 ? "improvement (" + string.Join(", ", improved) + ")"
            : comparison.Metrics.Any(m => m.Verdict == Verdict.Noisy) ? "noisy"
            : comparison.Metrics.All(m => m.Verdict == Verdict.NoHistory) ? "no history"
            : "unchanged";
    }

    private static void Section(StringBuilder md, string title, IEnumerable<string> items, string empty)
    {
        Line(md);
        Line(md, "## " + title);
        Line(md);
        bool any = false;
        foreach (string item in items)
        {
            Line(md, "- " + item);
            any = true;
        }

        if (!any)
        {
            Line(md, empty);
        }
    }

    private static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static void Line(StringBuilder md, string text = "") => md.Append(text).Append('\n');
}
