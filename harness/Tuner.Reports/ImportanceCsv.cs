using Tuner.Search.Importance;

namespace Tuner.Reports;

/// <summary>
/// Technique importance of a study as CSV: one row per technique (kind <c>marginal</c>) and one per strongest pair
/// (kind <c>synergy</c> or <c>antagonism</c>). Columns documented in results/README.md.
/// </summary>
public static class ImportanceCsv
{
    public static readonly IReadOnlyList<string> Columns = ["study", "kind", "technique", "other", "ratio", "trials_with", "trials_without", "trials"];

    public static void Write(string path, string study, ImportanceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        IEnumerable<IReadOnlyList<string>> rows = report.Effects
            .Select(e => (IReadOnlyList<string>)[study, "marginal", e.Technique, string.Empty, CsvTable.Number(e.Ratio), CsvTable.Whole(e.TrialsWith), CsvTable.Whole(e.TrialsWithout), CsvTable.Whole(report.Trials)])
            .Concat(report.Interactions.Select(i => (IReadOnlyList<string>)[study, i.Kind, i.A, i.B, CsvTable.Number(i.Factor), CsvTable.Whole(i.TrialsWithBoth), string.Empty, CsvTable.Whole(report.Trials)]));
        CsvTable.Write(path, Columns, rows);
    }
}
