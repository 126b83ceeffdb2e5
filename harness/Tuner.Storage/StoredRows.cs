using System.Data.Common;
using System.Text.Json;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Results;
using Tuner.Core.Trials;
using Tuner.Storage.Sqlite;

namespace Tuner.Storage;

/// <summary>
/// Reads study and trial rows into their records, the same way for both stores (their SELECTs list the same columns
/// in the same order); only timestamps differ (SQLite text, PostgreSQL timestamptz), so the store says how to read one.
/// </summary>
internal static class StoredRows
{
    /// <summary>Columns: id, name, suite, tuner, tuner_seed, budget, target_metric, target_value, space_json, created_by, created_at.</summary>
    public static StudyInfo ReadStudy(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> timestamp)
    {
        var definition = new StudyDefinition
        {
            Name = reader.GetString(1),
            Suite = reader.GetString(2),
            Tuner = reader.GetString(3),
            TunerSeed = reader.GetInt64(4),
            Budget = Core.Budgets.Budget.Parse(reader.GetString(5)),
            TargetMetric = reader.GetString(6),
            TargetValue = reader.GetDouble(7),
            SpaceJson = reader.GetString(8),
            CreatedBy = reader.GetString(9),
        };
        return new StudyInfo(reader.GetInt64(0), definition, timestamp(reader, 10));
    }

    /// <summary>Columns: study_id, number, state, configuration_json, unit_json, fidelity, tag, seed, attempts, worker_id, heartbeat_at, record_json, note.</summary>
    /// <remarks>
    /// A row whose JSON or values do not parse (edited by hand, written by a broken tool) is a one-line
    /// <see cref="TunerInputException"/> naming the study, trial and column; nothing is changed.
    /// </remarks>
    public static StoredTrial ReadTrial(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> timestamp)
    {
        string column = "state";
        try
        {
            return ReadTrial(reader, timestamp, ref column);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidCastException or NotSupportedException or ArgumentException)
        {
            string where = reader.IsDBNull(0) || reader.IsDBNull(1) ? "a trial row" : $"trial {reader.GetValue(1)} of study id {reader.GetValue(0)}";
            throw new TunerInputException(
                $"the study store holds a damaged row ({where}: {column} does not parse: {SqliteStoreFile.OneLine(ex.Message, 120)}): " +
                "restore the store from a backup, or delete that trial row; nothing was changed", ex);
        }
    }

    private static StoredTrial ReadTrial(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> timestamp, ref string column)
    {
        column = "configuration_json";
        TrainingConfiguration configuration = SqliteValues.ParseConfiguration(reader.GetString(3));
        column = "unit_json";
        double[] unit = SqliteValues.ParseUnit(reader.GetString(4));
        column = "state";
        TrialState state = SqliteValues.ParseState(reader.GetString(2));
        column = "heartbeat_at";
        DateTimeOffset? heartbeat = reader.IsDBNull(10) ? null : timestamp(reader, 10);
        column = "record_json";
        TrialRecord? record = reader.IsDBNull(11) ? null : TrialRecordJson.Deserialize(reader.GetString(11));
        column = "a value";
        var plan = new TrialPlan(
            configuration,
            unit,
            reader.GetDouble(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetInt64(7));
        return new StoredTrial(
            reader.GetInt64(0),
            reader.GetInt32(1),
            state,
            plan,
            reader.GetInt32(8),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            heartbeat,
            record,
            reader.IsDBNull(12) ? null : reader.GetString(12));
    }
}
