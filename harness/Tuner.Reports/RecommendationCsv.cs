using Tuner.Core.Trials;
using Tuner.Search.Recommendations;

namespace Tuner.Reports;

/// <summary>
/// The recommendation CSV: one row per configuration re-run on fresh seeds (the baseline first), with its median
/// time-to-target and 95% bootstrap interval, reach share, speed-up over the baseline with its interval, whether it
/// was chosen and the command that reproduces it. Columns are documented in results/README.md.
/// </summary>
public static class RecommendationCsv
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "study", "suite", "label", "chosen", "search_trial", "n_techniques", "techniques", "configuration", "seeds", "reached",
        "reach_share", "median_time_to_target_s", "ttt_ci_low_s", "ttt_ci_high_s", "speedup", "speedup_ci_low", "speedup_ci_high",
        "median_validation_metric", "median_test_metric", "test_short_of_target", "target", "budget", "reason", "command", "threads", "cpu", "git_commit",
    ];

    public static void Write(string path, Recommendation recommendation, Func<ValidatedCandidate, string> command)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        ArgumentNullException.ThrowIfNull(command);
        CsvTable.Write(path, Columns, recommendation.Validated.Select(v =>
        {
            bool chosen = ReferenceEquals(v, recommendation.Chosen);
            EnvironmentManifest? e = v.Runs.Count > 0 ? v.Runs[0].Environment : null;
            return (IReadOnlyList<string>)
            [
                recommendation.Study, recommendation.Suite, v.Label, chosen ? "1" : "0", CsvTable.Whole(v.SearchTrial), CsvTable.Whole(v.TechniqueCount),
                string.Join(";", v.Configuration.Techniques), v.Configuration.ToString(), CsvTable.Whole(v.Runs.Count),
                CsvTable.Whole(v.Runs.Count(r => r.Status == TrialStatus.Reached)), CsvTable.Number(v.ReachShare),
                CsvTable.Number(v.TimeToTarget.Estimate), CsvTable.Number(v.TimeToTarget.Low), CsvTable.Number(v.TimeToTarget.High),
                CsvTable.Number(v.SpeedUp?.Estimate), CsvTable.Number(v.SpeedUp?.Low), CsvTable.Number(v.SpeedUp?.High),
                CsvTable.Number(v.MedianValidationMetric), CsvTable.Number(v.MedianTestMetric), v.TestFallsShortOf(recommendation.Target) ? "1" : "0",
                CsvTable.Number(recommendation.Target.Value), recommendation.Budget, chosen ? recommendation.Reason : string.Empty,
                command(v), CsvTable.Whole(e?.TorchThreads), e?.CpuModel ?? string.Empty, e?.GitCommit ?? string.Empty,
            ];
        }));
    }
}
