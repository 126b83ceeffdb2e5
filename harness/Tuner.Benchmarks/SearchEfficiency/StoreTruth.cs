using System.Globalization;
using Microsoft.Data.Sqlite;
using Tuner.Core.Errors;
using Tuner.Core.Results;
using Tuner.Core.Trials;
using Tuner.Storage;
using Tuner.Storage.Sqlite;

namespace Tuner.Benchmarks.SearchEfficiency;

/// <summary>
/// Reads the ground truth of the search-efficiency benchmark from a study store (the exhaustive grid study run with
/// <c>tuner search --tuner grid --cap 0 --no-prune</c>) and writes it as JSON lines. The store is read from a private
/// copy (its file and write-ahead log), so a store another process is writing is never locked or changed.
/// </summary>
internal static class StoreTruth
{
    /// <summary>The records of the finished trials of study <paramref name="study"/> in <paramref name="storePath"/>, in trial number order.</summary>
    public static async Task<IReadOnlyList<TrialRecord>> ReadAsync(string storePath, string study, CancellationToken cancellationToken)
    {
        if (!File.Exists(storePath))
        {
            throw new TunerInputException($"--truth-from-store {storePath}: no such file");
        }

        string folder = Path.Combine(Path.GetTempPath(), "tuner-search-efficiency-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string copy = Path.Combine(folder, "store.db");
            File.Copy(storePath, copy);
            if (File.Exists(storePath + "-wal"))
            {
                File.Copy(storePath + "-wal", copy + "-wal");
            }

            StudyDefinition definition = await DefinitionAsync(copy, storePath, study, cancellationToken);
            await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(copy, cancellationToken: cancellationToken);
            StudyInfo info = await storage.OpenStudyAsync(definition, cancellationToken);
            IReadOnlyList<StoredTrial> trials = await storage.GetTrialsAsync(info.Id, cancellationToken);
            List<TrialRecord> records = [.. trials.Where(t => t.State == TrialState.Finished && t.Record is not null).Select(t => t.Record!)];
            int unfinished = trials.Count - records.Count;
            if (unfinished > 0)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"search-efficiency: {unfinished} of {trials.Count} trials of study '{study}' are not finished; the truth has the {records.Count} finished ones"));
            }

            return records;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Writes <paramref name="records"/> to <paramref name="path"/>, one <see cref="TrialRecordJson"/> line each.</summary>
    public static void Export(IEnumerable<TrialRecord> records, string path)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllLines(path, records.Select(TrialRecordJson.Serialize));
    }

    private static async Task<StudyDefinition> DefinitionAsync(string copy, string storePath, string study, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = copy, Mode = SqliteOpenMode.ReadWrite, Pooling = false };
        await using var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = "SELECT suite, tuner, tuner_seed, budget, target_metric, target_value, space_json, created_by FROM studies WHERE name = $name";
        command.Parameters.AddWithValue("$name", study);
        await using SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new TunerInputException($"--truth-from-store {storePath} has no study '{study}': pass --study NAME of the grid study");
        }

        return new StudyDefinition
        {
            Name = study,
            Suite = reader.GetString(0),
            Tuner = reader.GetString(1),
            TunerSeed = reader.GetInt64(2),
            Budget = Core.Budgets.Budget.Parse(reader.GetString(3)),
            TargetMetric = reader.GetString(4),
            TargetValue = reader.GetDouble(5),
            SpaceJson = reader.GetString(6),
            CreatedBy = reader.IsDBNull(7) ? string.Empty : reader.GetString(7),
        };
    }
}
