using System.Data.Common;
using Tuner.Core.Results;
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
            Budget = reader.GetString(5),
            TargetMetric = reader.GetString(6),
            TargetValue = reader.GetDouble(7),
            SpaceJson = reader.GetString(8),
            CreatedBy = reader.GetString(9),
        };
        return new StudyInfo(reader.GetInt64(0), definition, timestamp(reader, 10));
    }

    /// <summary>Columns: study_id, number, state, configuration_json, unit_json, fidelity, tag, seed, attempts, worker_id, heartbeat_at, record_json, note.</summary>
    public static StoredTrial ReadTrial(DbDataReader reader, Func<DbDataReader, int, DateTimeOffset> timestamp)
    {
        var plan = new TrialPlan(
            SqliteValues.ParseConfiguration(reader.GetString(3)),
            SqliteValues.ParseUnit(reader.GetString(4)),
            reader.GetDouble(5),
            reader.IsDBNull(6) ? null : reader.GetString(6),
            reader.GetInt64(7));
        return new StoredTrial(
            reader.GetInt64(0),
            reader.GetInt32(1),
            SqliteValues.ParseState(reader.GetString(2)),
            plan,
            reader.GetInt32(8),
            reader.IsDBNull(9) ? null : reader.GetString(9),
            reader.IsDBNull(10) ? null : timestamp(reader, 10),
            reader.IsDBNull(11) ? null : TrialRecordJson.Deserialize(reader.GetString(11)),
            reader.IsDBNull(12) ? null : reader.GetString(12));
    }
}
