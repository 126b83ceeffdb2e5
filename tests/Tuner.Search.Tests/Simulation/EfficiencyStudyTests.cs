using Tuner.Search.Simulation;
using Tuner.Search.Tuners;

namespace Tuner.Search.Tests.Simulation;

public sealed class EfficiencyStudyTests
{
    private static readonly TruthTable Truth = SyntheticTruth.Table();

    [Fact]
    public void Run_SameInputs_SameMarkdown()
    {
        string first = Render();
        string second = Render();

        Assert.Equal(first, second);
        Assert.Contains("| smac |", first, StringComparison.Ordinal);
        Assert.Contains("| full grid | - |", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_InParallel_SameRowsAsOneAtATime()
    {
        var settings = new ReplaySettings();
        IReadOnlyList<EfficiencyRow> serial = EfficiencyStudy.Run(Truth, SyntheticTruth.Space, SyntheticTruth.Baseline, TunerCatalog.Names, 3, settings);
        IReadOnlyList<EfficiencyRow> parallel = EfficiencyStudy.Run(Truth, SyntheticTruth.Space, SyntheticTruth.Baseline, TunerCatalog.Names, 3, settings, parallelism: 4);

        Assert.Equal(EfficiencyReport.Table(serial, Truth, settings), EfficiencyReport.Table(parallel, Truth, settings));
        Assert.Equal(
            serial.SelectMany(r => r.Runs).Select(r => (r.TunerSeed, r.TrialsToFind, r.TotalComputeSeconds)),
            parallel.SelectMany(r => r.Runs).Select(r => (r.TunerSeed, r.TrialsToFind, r.TotalComputeSeconds)));
    }

    [Fact]
    public void Table_OneRowPerTunerThenTheFullGrid()
    {
        IReadOnlyList<EfficiencyRow> rows = EfficiencyStudy.Run(Truth, SyntheticTruth.Space, SyntheticTruth.Baseline, ["random", "grid"], 2, new ReplaySettings());

        string[] lines = EfficiencyReport.Table(rows, Truth, new ReplaySettings()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(5, lines.Length);
        Assert.StartsWith("| tuner | found (seeds) | median compute to within 10% (s) |", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("| random | ", lines[2], StringComparison.Ordinal);
        Assert.Contains("| 1.00x |", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("| grid | 2/2 | ", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("| full grid | - | " + Truth.FullGridSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " | 100% |", lines[4].TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_GridTuner_SameOutcomeForEverySeed()
    {
        EfficiencyRow row = EfficiencyStudy.Run(Truth, SyntheticTruth.Space, SyntheticTruth.Baseline, ["grid"], 3, new ReplaySettings())[0];

        Assert.Equal(3, row.Found);
        Assert.Equal(7, row.MedianTrials);
        Assert.Single(row.Runs.Select(r => r.ComputeToFindSeconds).Distinct());
    }

    [Fact]
    public void Median_OddEvenAndNotFound()
    {
        Assert.Equal(2, EfficiencyStudy.Median([3, 1, 2]));
        Assert.Equal(2, EfficiencyStudy.Median([1, 3]));
        Assert.Equal(2, EfficiencyStudy.Median([double.PositiveInfinity, 1, 2]));
        Assert.Equal(double.PositiveInfinity, EfficiencyStudy.Median([1, double.PositiveInfinity]));
    }

    [Fact]
    public void GoalMet_BelowBothLimits_TrueAboveEither_False()
    {
        double grid = Truth.FullGridSeconds;
        EfficiencyRow random = Row("random", 0.3 * grid);

        Assert.True(EfficiencyStudy.GoalMet(Row("smac", 0.1 * grid), Truth, random));
        Assert.False(EfficiencyStudy.GoalMet(Row("asha", 0.25 * grid), Truth, Row("random", grid)));
        Assert.False(EfficiencyStudy.GoalMet(Row("hyperband", 0.16 * grid), Truth, random));
        Assert.False(EfficiencyStudy.GoalMet(Row("smac", double.PositiveInfinity), Truth, random));
        Assert.True(EfficiencyStudy.GoalMet(Row("smac", 0.1 * grid), Truth, Row("random", double.PositiveInfinity)));
        Assert.Null(EfficiencyStudy.GoalMet(Row("cfo", 0.1 * grid), Truth, random));
        Assert.Null(EfficiencyStudy.GoalMet(Row("smac", 0.1 * grid), Truth, null));
    }

    [Fact]
    public void TunerCatalog_EveryNameBuilds_UnknownIsAOneLineInputError()
    {
        foreach (string name in TunerCatalog.Names)
        {
            Assert.NotNull(TunerCatalog.Create(name, SyntheticTruth.Space, Truth.Objective, SyntheticTruth.Baseline));
        }

        var ex = Assert.Throws<Tuner.Core.Errors.TunerInputException>(() => TunerCatalog.Create("bogus", SyntheticTruth.Space, Truth.Objective, SyntheticTruth.Baseline));
        OneLineAssert.Message(ex, "unknown tuner 'bogus'", "smac");
    }

    private static string Render()
    {
        var settings = new ReplaySettings();
        IReadOnlyList<EfficiencyRow> rows = EfficiencyStudy.Run(Truth, SyntheticTruth.Space, SyntheticTruth.Baseline, TunerCatalog.Names, 3, settings);
        return EfficiencyReport.Header("synthetic", Truth, 3, settings) + EfficiencyReport.Table(rows, Truth, settings) + EfficiencyReport.GoalSummary(rows, Truth);
    }

    private static EfficiencyRow Row(string tuner, double compute) =>
        new(tuner, [new ReplayOutcome(0, double.IsFinite(compute) ? 1 : null, compute, compute, Array.Empty<TrialResult>())]);
}
