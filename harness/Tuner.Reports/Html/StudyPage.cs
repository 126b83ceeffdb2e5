using System.Globalization;
using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Search.Importance;
using Tuner.Search.Recommendations;
using Tuner.Storage;

namespace Tuner.Reports.Html;

/// <summary>A recommendation as the page shows it: the validated candidates, the choice, why, and the command that reproduces it.</summary>
public sealed record RecommendationView(IReadOnlyList<ValidatedCandidate> Validated, ValidatedCandidate? Chosen, string Reason, string? Command, long FirstSeed);

/// <summary>What the page of a search study is made from (all of it from the store).</summary>
public sealed record StudyPageData
{
    public required StudyDefinition Definition { get; init; }

    /// <summary>The store, as it may be shown (never a password).</summary>
    public required string Store { get; init; }

    /// <summary>Every trial of the study, in number order.</summary>
    public required IReadOnlyList<StoredTrial> Trials { get; init; }

    /// <summary>The study objective's score of a finished trial (lower is better; censored trials score worse than any reached one).</summary>
    public required Func<StoredTrial, double?> Score { get; init; }

    public ImportanceReport? Importance { get; init; }

    /// <summary>The recommendation recorded for the study (its NAME@validate runs), if any.</summary>
    public RecommendationView? Recommendation { get; init; }

    /// <summary>The suite's baseline recipe (parallel coordinates show each setting's value).</summary>
    public required TrainingConfiguration Baseline { get; init; }
}

/// <summary>
/// The HTML page of a search study: summary, the recommendation, best-so-far against compute, time-to-target ECDFs
/// (censored trials shown as such), samples-to-target against throughput, technique importance and interactions,
/// parallel coordinates of every trial, and the sortable, filterable trials table.
/// </summary>
public static class StudyPage
{
    public static HtmlPage Build(StudyPageData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        StudyDefinition d = data.Definition;
        StoredTrial[] finished = [.. data.Trials.Where(t => t.State == TrialState.Finished && t.Record is not null)];
        int reached = finished.Count(t => t.Record!.Status == TrialStatus.Reached);
        var page = new HtmlPage(
            $"Study {d.Name}",
            Invariant($"suite {d.Suite}, tuner {d.Tuner}, budget {d.Budget}, target {d.TargetMetric} {(TargetMetrics.LowerIsBetter(d.TargetMetric) ? "<=" : ">=")} {d.TargetValue:0.####} (validation split); {data.Trials.Count} trials in {data.Store}"));

        StoredTrial? best = finished.Where(t => data.Score(t) is not null).OrderBy(t => data.Score(t)).ThenBy(t => t.Number).FirstOrDefault();
        var summary = new System.Text.StringBuilder();
        summary.Append(HtmlPage.P(Invariant($"{finished.Length} trials finished ({reached} reached the target, {finished.Count(t => t.Record!.Status == TrialStatus.Pruned)} stopped early by capping or pruning, {finished.Count(t => t.Record!.Status is TrialStatus.Failed or TrialStatus.Diverged or TrialStatus.OverMemory)} failed or diverged); {data.Trials.Count(t => t.State is TrialState.Waiting or TrialState.Running)} waiting or running; {data.Trials.Count(t => t.State == TrialState.Abandoned)} abandoned.")));
        if (best?.Record is TrialRecord b)
        {
            summary.Append(HtmlPage.P(b.Status == TrialStatus.Reached
                ? Invariant($"Best of the search: trial {best.Number}, time-to-target {b.TimeToTargetSeconds:0.00} s (one training seed; the recommendation below re-runs the best on fresh seeds): {b.Configuration}")
                : Invariant($"No trial reached the target; the closest: trial {best.Number}, best {d.TargetMetric} {HtmlPage.N(b.BestMetric, 4)}: {b.Configuration}")));
        }

        page.Section("summary", "Summary", summary.ToString());
        if (data.Recommendation is RecommendationView recommendation)
        {
            page.Section("recommendation", "Recommendation", Recommendation(recommendation));
        }

        page.Section("best-so-far", "Best so far against compute", BestSoFar(data, finished));
        page.Section("ecdf", "Time-to-target distribution", Ecdf(data, finished));
        page.Section("samples-throughput", "Samples to target against throughput", SamplesThroughput(finished));
        page.Section("importance", "Technique importance", Importance(data.Importance));
        page.Section("parallel", "All trials at once (parallel coordinates)", Parallel(data, finished));
        page.Section("trials", "Trials", TrialsTable(data));
        return page;
    }

    private static string Recommendation(RecommendationView r)
    {
        var table = new HtmlTable("recommendation-table", sortable: false, "configuration", "median time-to-target (s)", "95% CI (s)", "reached", "speed-up over baseline", "95% CI", "techniques");
        foreach (ValidatedCandidate c in r.Validated)
        {
            table.Add(
            [
                Cell.Text(c.Label),
                Cell.Number(c.TimeToTarget.Estimate, 2, "not reached"),
                Cell.Text(NightlyPage.Range(c.TimeToTarget.Low, c.TimeToTarget.High)),
                Cell.Text(Invariant($"{c.Runs.Count(x => x.Status == TrialStatus.Reached)}/{c.Runs.Count}")),
                Cell.Number(c.SpeedUp?.Estimate, 2, "-", "x"),
                Cell.Text(c.SpeedUp is { } s ? Invariant($"{HtmlPage.N(s.Low)}x to {HtmlPage.N(s.High)}x{(s.IsFaster ? string.Empty : " (not significant)")}") : "-"),
                Cell.Text(c.TechniqueCount == 0 ? "none" : string.Join(" ", c.Configuration.Techniques)),
            ], cssClass: r.Chosen?.Label == c.Label ? "best" : null);
        }

        string chosen = r.Chosen is ValidatedCandidate chosenOne
            ? HtmlPage.P($"Recommended: {chosenOne.Label} ({r.Reason}): {chosenOne.Configuration}", "verdict")
            : HtmlPage.P($"No recommendation: {r.Reason}.", "verdict bad");
        string command = r.Command is null ? string.Empty : $"<p>Reproduce one of its seeds: <code>{HtmlPage.E(r.Command)}</code></p>";
        return chosen + table.Render() + command + HtmlPage.P(Invariant($"Each configuration was re-run on fresh seeds from {r.FirstSeed}; medians with 95% bootstrap intervals; the row in bold is the recommendation."), "note");
    }

    private static string BestSoFar(StudyPageData data, StoredTrial[] finished)
    {
        var plot = new SvgPlot("Best time-to-target so far against the compute spent", "compute spent: training seconds of all finished trials", "best time-to-target (s)", yScale: AxisScale.Log)
        {
            Caption = "Each point is a trial that reached the target, at the compute spent when it finished; the step line is the best so far. Flat early means the tuner found a good configuration quickly; later drops are what more compute bought.",
        };
        double spent = 0, bestSoFar = double.PositiveInfinity;
        var line = new List<(double, double)>();
        var points = new List<(double, double, string)>();
        foreach (StoredTrial t in finished.OrderBy(t => t.Number))
        {
            TrialRecord r = t.Record!;
            spent += r.TrainSeconds;
            if (r.Status == TrialStatus.Reached && r.TimeToTargetSeconds is double time)
            {
                points.Add((spent, time, Invariant($"trial {t.Number}: {time:0.00} s; {r.Configuration}")));
                bestSoFar = Math.Min(bestSoFar, time);
            }

            if (double.IsFinite(bestSoFar))
            {
                line.Add((spent, bestSoFar));
            }
        }

        plot.Points("trials that reached the target", points, 0, radius: 3);
        plot.Line("best so far", line, 1, step: true);
        return plot.Render();
    }

    private static string Ecdf(StudyPageData data, StoredTrial[] finished)
    {
        var plot = new SvgPlot("Time-to-target ECDF by technique combination (search trials run to the target or the budget)", "time-to-target (s)", "share of trials that reached the target by then", xScale: AxisScale.Log)
        {
            YRange = (0, 1.02),
            Caption = "For each combination, the share of its trials that had reached the target by each time. A curve that stops below 1 has trials that never reached it: they are censored at their budget, drawn as hollow circles at the top of the curve and counted in the legend. Further left and higher is better. Trials stopped early (capped or pruned) are left out: they say nothing about when their configuration reaches the target.",
        };
        Draw(plot, StudyViews.Ecdf(finished));
        string search = plot.Render();
        if (data.Recommendation is not RecommendationView r || r.Validated.Count == 0)
        {
            return search;
        }

        var seeds = new SvgPlot("Time-to-target ECDF of the validated configurations (fresh seeds)", "time-to-target (s)", "share of seeds that reached the target by then", xScale: AxisScale.Log)
        {
            YRange = (0, 1.02),
            Caption = "The recommendation's runs: one curve per configuration over its fresh seeds; censored seeds as hollow circles at the top of their curve.",
        };
        Draw(seeds, [.. r.Validated.Select(c => StudyViews.Curve(c.Label, c.Runs, x => Invariant($"seed {x.Seed}")))]);
        return search + seeds.Render();
    }

    private static void Draw(SvgPlot plot, IReadOnlyList<EcdfCurve> curves)
    {
        for (int k = 0; k < curves.Count; k++)
        {
            EcdfCurve c = curves[k];
            plot.Line(Invariant($"{c.Label} ({c.Times.Count}/{c.Runs} reached)"), c.Steps(), k, step: true);
            plot.Points(string.Empty, c.Censored.Select(x => (x.Seconds, c.Top, x.Tip)), k, hollow: true);
        }
    }

    private static string SamplesThroughput(StoredTrial[] finished)
    {
        IReadOnlyList<StoredTrial> hit = StudyViews.Reached(finished);
        var plot = new SvgPlot("Samples to target against throughput", "throughput (training samples per second)", "samples to reach the target", AxisScale.Log, AxisScale.Log)
        {
            Caption = "Time-to-target = samples to target / throughput, so this separates what a technique changes: lower means it learns from fewer samples, further right that each sample is cheaper. The dashed line is the best trial's time: points on it reach the target as fast, points above it more slowly.",
        };
        IReadOnlyList<string> top = StudyViews.TopCombinations(hit);
        for (int k = 0; k < top.Count; k++)
        {
            plot.Points(top[k], hit.Where(t => StudyViews.Combination(t.Record!.Configuration) == top[k]).Select(Tip), k);
        }

        plot.Points("other combinations", hit.Where(t => !top.Contains(StudyViews.Combination(t.Record!.Configuration))).Select(Tip), 0, colourOverride: Palette.Grey);
        if (StudyViews.BestTimeLine(hit) is (double bestTime, double lo, double hi))
        {
            plot.Line(Invariant($"time = {bestTime:0.00} s (the best)"), [(lo, bestTime * lo), (hi, bestTime * hi)], 6, dashed: true, width: 1);
        }

        return plot.Render();

        static (double, double, string) Tip(StoredTrial t) =>
            (t.Record!.SamplesPerSecond, t.Record.SamplesToTarget!.Value, Invariant($"trial {t.Number}: {t.Record.SamplesToTarget} samples at {t.Record.SamplesPerSecond:0} samples/s = {t.Record.TimeToTargetSeconds:0.00} s; {t.Record.Configuration}"));
    }

    private static string Importance(ImportanceReport? report)
    {
        if (report is null || report.Note is not null)
        {
            return HtmlPage.P(report?.Note ?? "no importance analysis for this study", "note");
        }

        TechniqueEffect[] effects = [.. report.Effects];
        var plot = new SvgPlot(Invariant($"Predicted time-to-target with the technique / without (random-forest surrogate over {report.Trials} trials)"), "ratio: below 1 the technique helps", string.Empty, xScale: AxisScale.Log, height: Math.Max(160, 60 + (effects.Length * 28)))
        {
            YCategories = [.. effects.Reverse().Select(e => e.Technique)],
            Caption = "Each bar runs from 1 (no effect) to the technique's ratio of predicted scores (the study objective: time-to-target, with trials that missed the target scored above every one that reached it, so a technique that often misses gets a large ratio). A ratio averages over the other settings the search tried; the interactions below say where two techniques do better or worse together than apart.",
        };
        for (int i = 0; i < effects.Length; i++)
        {
            double row = effects.Length - 1 - i;
            plot.Bar(Invariant($"{effects[i].Technique}: {effects[i].Ratio:0.00}x (on in {effects[i].TrialsWith} trials, off in {effects[i].TrialsWithout})"), row, 1, effects[i].Ratio, effects[i].Ratio < 1 ? 0 : 5);
        }

        plot.VerticalRule(1, "no effect");
        var table = new HtmlTable("importance-table", sortable: true, "technique", "ratio with / without", "trials with", "trials without");
        foreach (TechniqueEffect e in effects)
        {
            table.Add([Cell.Text(e.Technique), Cell.Number(e.Ratio, 2, "-", "x"), Cell.Number(e.TrialsWith, 0), Cell.Number(e.TrialsWithout, 0)]);
        }

        var pairs = new HtmlTable("interactions-table", sortable: true, "pair", "kind", "factor", "trials with both");
        foreach (TechniqueInteraction i in report.Interactions)
        {
            pairs.Add([Cell.Text($"{i.A} + {i.B}"), Cell.Text(i.Kind), Cell.Number(i.Factor, 2, "-", "x"), Cell.Number(i.TrialsWithBoth, 0)]);
        }

        return plot.Render() + table.Render() + "<h3>Pairwise interactions</h3>" +
            (pairs.Rows == 0 ? HtmlPage.P("no pair was tried together often enough", "note") : pairs.Render()) +
            HtmlPage.P("Factor: the pair's ratio over the product of the two ratios alone; below 1 a synergy, above 1 an antagonism.", "note");
    }

    private static string Parallel(StudyPageData data, StoredTrial[] finished)
    {
        StoredTrial[] trials = [.. finished.Where(t => t.Record!.Status is TrialStatus.Reached or TrialStatus.NotReached or TrialStatus.Pruned)];
        // Axes: every recipe setting that varies across the trials, each technique that appears, and time-to-target.
        var settings = trials.Select(t => Settings(t.Record!.Configuration)).ToList();
        string[] keys = [.. settings.SelectMany(s => s.Keys).Distinct(StringComparer.Ordinal).Where(k => settings.Select(s => s.GetValueOrDefault(k, "-")).Distinct(StringComparer.Ordinal).Count() > 1)];
        string[] techniques = [.. trials.SelectMany(t => t.Record!.Configuration.Techniques.Select(x => x.Name)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        string[] axes = [.. keys, .. techniques, "time-to-target"];
        var plot = new SvgPlot(Invariant($"{trials.Length} trials across {axes.Length} axes"), string.Empty, "position on each axis (its range)", width: Math.Max(960, 115 * axes.Length), height: 440)
        {
            XCategories = axes,
            YRange = (-0.08, 1.08),
            Caption = "One line per trial. Settings are placed between their smallest (bottom) and largest (top) value (logarithmically when they span more than a factor 10; names in order for a choice), techniques at 0 (off) or 1 (on), time-to-target last (bottom is fastest; not reached at the top). Orange: the five fastest trials; blue: the others that reached the target; grey dashed: not reached or stopped early.",
        };
        if (trials.Length == 0)
        {
            return plot.Render();
        }

        var scalers = new List<Func<Dictionary<string, string>, TrialRecord, double>>();
        foreach (string key in keys)
        {
            string[] values = [.. settings.Select(s => s.GetValueOrDefault(key, "-")).Distinct(StringComparer.Ordinal)];
            bool numeric = values.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            if (numeric)
            {
                double[] numbers = [.. values.Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture))];
                double lo = numbers.Min(), hi = numbers.Max();
                bool log = lo > 0 && hi / lo > 10;
                scalers.Add((s, _) =>
                {
                    double v = double.Parse(s.GetValueOrDefault(key, "0"), NumberStyles.Float, CultureInfo.InvariantCulture);
                    return hi == lo ? 0.5 : log ? Math.Log(v / lo) / Math.Log(hi / lo) : (v - lo) / (hi - lo);
                });
            }
            else
            {
                string[] ordered = [.. values.Order(StringComparer.Ordinal)];
                scalers.Add((s, _) => ordered.Length == 1 ? 0.5 : Array.IndexOf(ordered, s.GetValueOrDefault(key, "-")) / (double)(ordered.Length - 1));
            }
        }

        foreach (string technique in techniques)
        {
            scalers.Add((_, r) => r.Configuration.Techniques.Any(x => x.Name == technique) ? 1 : 0);
        }

        double[] reachedTimes = [.. trials.Where(t => t.Record!.Status == TrialStatus.Reached).Select(t => t.Record!.TimeToTargetSeconds ?? double.NaN).Where(double.IsFinite)];
        double tlo = reachedTimes.DefaultIfEmpty(1).Min(), thi = reachedTimes.DefaultIfEmpty(1).Max();
        scalers.Add((_, r) => r.Status == TrialStatus.Reached && r.TimeToTargetSeconds is double t
            ? (thi > tlo ? 0.9 * Math.Log(t / tlo) / Math.Log(thi / tlo) : 0.45)
            : 1.0);
        StoredTrial[] fastest = [.. trials.Where(t => t.Record!.Status == TrialStatus.Reached).OrderBy(t => t.Record!.TimeToTargetSeconds).Take(5)];
        foreach (StoredTrial trial in trials.OrderBy(t => fastest.Contains(t) ? 2 : t.Record!.Status == TrialStatus.Reached ? 1 : 0))
        {
            Dictionary<string, string> s = Settings(trial.Record!.Configuration);
            (double, double)[] line = [.. scalers.Select((f, i) => ((double)i, f(s, trial.Record!)))];
            bool fast = fastest.Contains(trial);
            bool hit = trial.Record!.Status == TrialStatus.Reached;
            plot.Line(Invariant($"trial {trial.Number}: {(hit ? $"{trial.Record.TimeToTargetSeconds:0.00} s" : trial.Record.Status.ToString())}; {trial.Record.Configuration}"), line, fast ? 1 : 0,
                dashed: !hit, width: fast ? 3 : 1, colourOverride: hit ? null : Palette.Grey, legend: false);
        }

        for (int i = 0; i < keys.Length; i++)
        {
            string[] values = [.. settings.Select(s => s.GetValueOrDefault(keys[i], "-")).Distinct(StringComparer.Ordinal)];
            bool numeric = values.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            string low = numeric ? values.Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).Min().ToString("0.#####", CultureInfo.InvariantCulture) : values.Order(StringComparer.Ordinal).First();
            string high = numeric ? values.Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).Max().ToString("0.#####", CultureInfo.InvariantCulture) : values.Order(StringComparer.Ordinal).Last();
            plot.Label(i, -0.05, low, "middle");
            plot.Label(i, 1.05, high, "middle");
        }

        plot.Label(axes.Length - 1, -0.05, Invariant($"{tlo:0.##} s"), "middle");
        plot.Label(axes.Length - 1, 1.05, "not reached", "middle");
        return plot.Render();
    }

    private static string TrialsTable(StudyPageData data)
    {
        var table = new HtmlTable("trials-table", sortable: true, "#", "state", "status", "time-to-target (s)", "best metric", "test metric", "fidelity", "training s", "samples/s", "score", "techniques", "configuration");
        var techniques = new SortedSet<string>(StringComparer.Ordinal);
        var statuses = new SortedSet<string>(StringComparer.Ordinal);
        var states = new SortedSet<string>(StringComparer.Ordinal);
        foreach (StoredTrial t in data.Trials)
        {
            TrialRecord? r = t.Record;
            string[] names = [.. (r?.Configuration ?? t.Plan.Configuration).Techniques.Select(x => x.Name)];
            string state = t.State.ToString().ToLowerInvariant();
            string status = r?.Status.ToString() ?? "-";
            techniques.UnionWith(names);
            statuses.Add(status);
            states.Add(state);
            table.Add(
            [
                Cell.Number(t.Number, 0),
                Cell.Text(state),
                Cell.Text(status),
                Cell.Number(r?.Status == TrialStatus.Reached ? r.TimeToTargetSeconds : null, 2, r is null ? "-" : r.Status == TrialStatus.Pruned ? "stopped early" : "not reached"),
                Cell.Number(r?.BestMetric, 4),
                Cell.Number(r?.TestMetric, 4),
                Cell.Number(t.Plan.Fidelity, 3),
                Cell.Number(r?.TrainSeconds, 2),
                Cell.Number(r?.SamplesPerSecond, 0),
                Cell.Number(r is null ? null : data.Score(t), 3),
                Cell.Text(names.Length == 0 ? "none" : string.Join(" ", names)),
                Cell.Text((r?.Configuration ?? t.Plan.Configuration).ToString()),
            ],
            new Dictionary<string, string> { ["state"] = state, ["status"] = status, ["technique"] = names.Length == 0 ? "none" : string.Join(" ", names) });
        }

        techniques.Add("none");
        string Select(string attribute, string label, IEnumerable<string> values) =>
            $"<label>{HtmlPage.E(label)} <select data-attribute=\"{attribute}\"><option value=\"\">any</option>{string.Concat(values.Select(v => $"<option>{HtmlPage.E(v)}</option>"))}</select></label>";
        string filters = $"<div class=\"filters\" data-table=\"trials-table\">{Select("state", "state", states)}{Select("status", "status", statuses)}{Select("technique", "technique", techniques)}<span class=\"count\"></span></div>";
        return filters + table.Render() + HtmlPage.P("Click a column header to sort. Score: the study objective (time-to-target relative to the budget; censored trials score above every reached one).", "note");
    }

    private static Dictionary<string, string> Settings(TrainingConfiguration configuration) =>
        configuration.ToSetArguments().Select(a => a.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
