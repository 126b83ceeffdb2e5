using System.Globalization;
using CsvHelper;
using Tuner.Core.Errors;
using Tuner.Core.Results;

namespace Tuner.Reports;

/// <summary>
/// The effects CSV (one row per technique alone, plus the baseline): invariant culture, RFC 4180, text cells that
/// start with = + - @ neutralised against spreadsheet formula injection. Columns documented in results/README.md.
/// </summary>
public static class EffectsCsv
{
    public static readonly IReadOnlyList<string> Columns =
    [
        "suite", "technique", "family", "seeds", "reached", "reach_probability", "median_time_to_target_s", "median_steps_to_target",
        "speedup", "speedup_ci_low", "speedup_ci_high", "verdict", "samples_per_s", "step_rate_ratio", "median_best_metric",
        "failure_reason", "budget", "threads", "cpu", "git_commit",
        "p_value", "adjusted_p_value", "median_samples_to_target", "samples_ratio", "median_test_metric",
    ];

    /// <summary>Columns added by measurement protocol 2; a CSV written before them still renders (they are then empty).</summary>
    private static readonly string[] LaterColumns = ["p_value", "adjusted_p_value", "median_samples_to_target", "samples_ratio", "median_test_metric"];

    public static void Write(string path, IReadOnlyList<EffectRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        CsvTable.Write(path, Columns, rows.Select(r => (IReadOnlyList<string>)
        [
            r.Suite, r.Technique, r.Family, I(r.Seeds), I(r.Reached), D(r.ReachProbability), D(r.MedianTimeToTargetSeconds),
            D(r.MedianStepsToTarget), D(r.SpeedUp), D(r.SpeedUpLow), D(r.SpeedUpHigh), r.Verdict, D(r.SamplesPerSecond),
            D(r.StepRateRatio), D(r.MedianBestMetric), r.FailureReason ?? string.Empty, r.Budget, I(r.Threads), r.CpuModel,
            r.GitCommit ?? string.Empty,
            D(r.PValue), D(r.AdjustedPValue), D(r.MedianSamplesToTarget), D(r.SamplesRatio), D(r.MedianTestMetric),
        ]));
    }

    /// <summary>Reads an effects CSV; a file of another kind or with a bad cell is a one-line input error naming the file and line.</summary>
    public static IReadOnlyList<EffectRow> Read(string path)
    {
        int line = 0;
        try
        {
            return Read(path, ref line);
        }
        catch (Exception ex) when (ex is CsvFormatException or FormatException or OverflowException or KeyNotFoundException or ArgumentException)
        {
            throw new TunerInputException($"{path} {(line == 0 ? "header" : $"data row {line}")}: not a valid effects CSV ({ex.GetType().Name}): render a CSV that tuner effects wrote");
        }
    }

    private static List<EffectRow> Read(string path, ref int line)
    {
        var rows = new List<EffectRow>();
        using CsvReader reader = CsvReader.FromFile(path, CsvReaderOptions.Default with { Separator = ',', FormatProvider = CultureInfo.InvariantCulture });
        string[] missing = [.. Columns.Except(LaterColumns).Where(c => !reader.Headers.Contains(c))];
        bool later = LaterColumns.All(reader.Headers.Contains);
        if (missing.Length > 0)
        {
            throw new TunerInputException(
                $"{path} is not an effects CSV: its header lacks {string.Join(", ", missing.Take(4))}{(missing.Length > 4 ? $" and {missing.Length - 4} more" : string.Empty)}: give --out the CSV that tuner effects wrote");
        }

        while (reader.Read())
        {
            line++;
            rows.Add(new EffectRow
            {
                Suite = reader.GetString("suite"),
                Technique = reader.GetString("technique"),
                Family = reader.GetString("family"),
                Seeds = int.Parse(reader.GetString("seeds"), CultureInfo.InvariantCulture),
                Reached = int.Parse(reader.GetString("reached"), CultureInfo.InvariantCulture),
                MedianTimeToTargetSeconds = N(reader.GetString("median_time_to_target_s")),
                MedianStepsToTarget = N(reader.GetString("median_steps_to_target")),
                SpeedUp = N(reader.GetString("speedup")),
                SpeedUpLow = N(reader.GetString("speedup_ci_low")),
                SpeedUpHigh = N(reader.GetString("speedup_ci_high")),
                Verdict = reader.GetString("verdict"),
                SamplesPerSecond = N(reader.GetString("samples_per_s")) ?? 0,
                StepRateRatio = N(reader.GetString("step_rate_ratio")),
                MedianBestMetric = N(reader.GetString("median_best_metric")),
                FailureReason = Empty(reader.GetString("failure_reason")),
                Budget = reader.GetString("budget"),
                Threads = int.Parse(reader.GetString("threads"), CultureInfo.InvariantCulture),
                CpuModel = reader.GetString("cpu"),
                GitCommit = Empty(reader.GetString("git_commit")),
                PValue = later ? N(reader.GetString("p_value")) : null,
                AdjustedPValue = later ? N(reader.GetString("adjusted_p_value")) : null,
                MedianSamplesToTarget = later ? N(reader.GetString("median_samples_to_target")) : null,
                SamplesRatio = later ? N(reader.GetString("samples_ratio")) : null,
                MedianTestMetric = later ? N(reader.GetString("median_test_metric")) : null,
            });
        }

        return rows;
    }

    private static string I(int value) => CsvTable.Whole(value);

    private static string D(double? value) => CsvTable.Number(value);

    private static double? N(string text) => string.IsNullOrEmpty(text) ? null : double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string? Empty(string text) => string.IsNullOrEmpty(text) ? null : text;
}
