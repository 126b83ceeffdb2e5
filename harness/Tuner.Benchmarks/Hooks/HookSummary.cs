using System.Globalization;
using System.Text;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Reports;

namespace Tuner.Benchmarks.Hooks;

/// <summary>
/// The run as two Markdown tables that hold up on a shared machine. Another process on the same cores only ever makes
/// an iteration slower, and on this 2-core machine it does so by 10-100% for seconds at a time, long enough to hit a
/// technique's iterations and not its baseline's (BenchmarkDotNet measures one method's iterations, then the other's).
/// So besides the means (and BenchmarkDotNet's Ratio column, a ratio of means) each row shows its fastest iteration, and
/// a technique's fastest step is compared with the plain step of its suite: the median, over all the groups on that
/// suite, of the no-technique row's fastest iteration (every group measures the same plain step).
/// </summary>
internal static class HookSummary
{
    public static string Markdown(IReadOnlyList<Summary> summaries)
    {
        BenchmarkReport[] reports = [.. summaries.SelectMany(s => s.Reports).Where(r => r.Success)];
        var text = new StringBuilder();
        AppendEngine(text, [.. reports.Where(r => r.BenchmarkCase.Descriptor.Type == typeof(EngineStepBenchmarks))]);
        AppendHooks(text, [.. reports.Where(r => r.BenchmarkCase.Descriptor.Type == typeof(HookBenchmarks) || r.BenchmarkCase.Descriptor.Type == typeof(CnnHookBenchmarks))]);
        return text.ToString();
    }

    private static void AppendEngine(StringBuilder text, BenchmarkReport[] reports)
    {
        if (reports.Length == 0)
        {
            return;
        }

        text.AppendLine("Engine vs bare TorchSharp loop, per training step (forward, loss, backward, optimizer step):").AppendLine();
        text.AppendLine("| suite | loop | step, fastest | step, median | step, mean ± sd | vs bare (fastest / median) | managed bytes per step |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (IGrouping<string, BenchmarkReport> suite in reports.GroupBy(r => (string)r.BenchmarkCase.Parameters["Suite"]))
        {
            BenchmarkReport? bare = suite.SingleOrDefault(r => r.BenchmarkCase.Descriptor.Baseline);
            double[] bareSteps = bare is null ? [] : Steps(bare);
            foreach (BenchmarkReport report in suite)
            {
                double[] steps = Steps(report);
                long? bytes = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
                string versus = bareSteps.Length == 0 ? "- (bare loop failed)" : Invariant($"{steps.Min() / bareSteps.Min():0.00} / {Median(steps) / Median(bareSteps):0.00}");
                text.AppendLine(Invariant(
                    $"| {suite.Key} | {report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo.Trim('\'')} | {Time(steps.Min())} | {Time(Median(steps))} | {Time(Mean(steps))} ± {Time(Sd(steps))} | {versus} | {(bytes is null ? "-" : bytes.Value.ToString(CultureInfo.InvariantCulture))} |"));
            }
        }

        text.AppendLine();
    }

    private static void AppendHooks(StringBuilder text, BenchmarkReport[] reports)
    {
        if (reports.Length == 0)
        {
            return;
        }

        // A case whose run failed has no report here; its group is listed as failed (BenchmarkDotNet's output says why).
        var groups = reports
            .GroupBy(r => (HookCase)r.BenchmarkCase.Parameters["Case"])
            .Select(g => (Case: g.Key, Plain: Steps(g.SingleOrDefault(r => r.BenchmarkCase.Descriptor.Baseline)), With: Steps(g.SingleOrDefault(r => !r.BenchmarkCase.Descriptor.Baseline))))
            .ToList();
        foreach (var failed in groups.Where(g => g.Plain.Length == 0 || g.With.Length == 0))
        {
            text.AppendLine(Invariant($"FAILED: {failed.Case} ({(failed.With.Length == 0 ? "with technique" : "no technique")}): see BenchmarkDotNet's output."));
        }

        groups.RemoveAll(g => g.Plain.Length == 0 || g.With.Length == 0);
        if (groups.Count == 0)
        {
            return;
        }

        var plainStep = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var suite in groups.GroupBy(g => g.Case.Suite))
        {
            double[] fastest = [.. suite.Select(g => g.Plain.Min())];
            plainStep[suite.Key] = Median(fastest);
            text.AppendLine(Invariant(
                $"Plain step on {suite.Key} (no technique, {HookSuites.Get(suite.Key).Spec.DescribedModel}): {Time(plainStep[suite.Key])}, the median of the fastest no-technique iteration of {fastest.Length} group(s) (range {Time(fastest.Min())} to {Time(fastest.Max())})."));
        }

        text.AppendLine();
        text.AppendLine("| technique | suite | step, fastest | vs plain step | step, mean ± sd | ratio of means (BDN Ratio) | acts at |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---|");
        var order = HookCatalog.Cases.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        foreach (var (hook, plain, with) in groups.OrderBy(g => order.GetValueOrDefault(g.Case, int.MaxValue)))
        {
            text.AppendLine(Invariant(
                $"| {hook.Technique} | {hook.Suite} | {Time(with.Min())} | {with.Min() / plainStep[hook.Suite]:0.00} | {Time(Mean(with))} ± {Time(Sd(with))} | {Mean(with) / Mean(plain):0.00} | {hook.ActsAt} |"));
        }

        text.AppendLine();
    }

    /// <summary>Nanoseconds per step of each measured iteration (none for a missing report).</summary>
    private static double[] Steps(BenchmarkReport? report) => report is null ? [] :
    [
        .. report.AllMeasurements
            .Where(m => m.IterationMode == IterationMode.Workload && m.IterationStage == IterationStage.Actual)
            .Select(m => m.Nanoseconds / m.Operations),
    ];

    private static double Mean(double[] values) => values.Average();

    private static double Sd(double[] values)
    {
        double mean = values.Average();
        return values.Length < 2 ? 0 : Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
    }

    private static double Median(double[] values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Time(double nanoseconds) => nanoseconds >= 1_000_000
        ? Invariant($"{nanoseconds / 1_000_000:0.00} ms")
        : Invariant($"{nanoseconds / 1_000:0.0} us");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
