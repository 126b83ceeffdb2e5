using System.Globalization;
using Tuner.Core.Configuration;
using Tuner.Core.Tests.Results;
using Tuner.Core.Trials;
using Tuner.Storage;

namespace Tuner.Reports.Tests;

public sealed class TuningReportCsvTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-report").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static readonly StudyInfo Study = new(
        1,
        new StudyDefinition { Name = "s", Suite = "digits-mlp", Tuner = "smac", TunerSeed = 0, Budget = Core.Budgets.Budget.Seconds(10), TargetMetric = "accuracy", TargetValue = 0.97, SpaceJson = "{}" },
        DateTimeOffset.UnixEpoch);

    private static StoredTrial Trial(int number, TrainingConfiguration configuration, TrialRecord? record, string? note = null) => new(
        1, number, record is null ? TrialState.Waiting : TrialState.Finished, new TrialPlan(configuration, [0.5], 1.0, "smac:model", 7), 1, "host/1/2", null, record, note);

    [Fact]
    public void Write_GermanCulture_KeepsInvariantNumbersAndOneColumnPerTechniqueAndOption()
    {
        CultureInfo previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            var configuration = new TrainingConfiguration { LearningRate = 0.0123, Techniques = [new TechniqueSpec("ema", new Dictionary<string, string> { ["decay"] = "0.99" })] };
            string path = Path.Combine(_dir, "trials.csv");

            TuningReportCsv.Write(path, Study, [Trial(0, configuration, TrialRecords.Full(status: TrialStatus.Reached)), Trial(1, new TrainingConfiguration(), null)], ["ema", "precision"], t => t.Number == 0 ? 0.425 : null);

            var rows = CsvTable.Read(path, ["trial", "state", "lr", "ema", "precision", "ema.decay", "time_to_target_s", "score", "status"]);
            Assert.Equal(("0", "finished", "0.0123", "1", "0", "0.99", "4.25", "0.425", "Reached"), (rows[0]["trial"], rows[0]["state"], rows[0]["lr"], rows[0]["ema"], rows[0]["precision"], rows[0]["ema.decay"], rows[0]["time_to_target_s"], rows[0]["score"], rows[0]["status"]));
            Assert.Equal(("waiting", "0", string.Empty, string.Empty), (rows[1]["state"], rows[1]["ema"], rows[1]["ema.decay"], rows[1]["status"]));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Write_CellsStartingWithFormulaCharacters_AreNeutralised()
    {
        var configuration = new TrainingConfiguration { Techniques = [new TechniqueSpec("custom", new Dictionary<string, string> { ["x"] = "=HYPERLINK(\"http://evil\")" })] };
        string path = Path.Combine(_dir, "evil.csv");

        TuningReportCsv.Write(path, Study, [Trial(0, configuration, null, note: "+cmd|' /C calc'!A0")], [], _ => null);

        string text = File.ReadAllText(path);
        Assert.Contains("'=HYPERLINK", text, StringComparison.Ordinal);
        Assert.Contains("'+cmd", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",=HYPERLINK", text, StringComparison.Ordinal);
    }
}
