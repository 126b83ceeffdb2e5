using System.Globalization;
using System.Text.Json;
using Tuner.Core.Configuration;
using Tuner.Core.Results;
using Tuner.Core.Trials;

namespace Tuner.Storage.Sqlite;

/// <summary>
/// How values are written to and read from the store's columns: JSON with <see cref="TrialRecordJson.Options"/> (the
/// same form as the results files, so a stored record reads like a line of trials.jsonl), timestamps as fixed-width ISO
/// 8601 UTC text (sortable as text, readable in the sqlite3 shell, exact to the tick), names of states and statuses in
/// snake_case.
/// </summary>
internal static class SqliteValues
{
    private const string TimestampFormat = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffff'Z'";

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    public static DateTimeOffset ParseTimestamp(string text) =>
        DateTimeOffset.ParseExact(text, TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string Configuration(TrainingConfiguration configuration) =>
        JsonSerializer.Serialize(configuration, TrialRecordJson.Options);

    public static TrainingConfiguration ParseConfiguration(string json) =>
        JsonSerializer.Deserialize<TrainingConfiguration>(json, TrialRecordJson.Options) ?? throw new JsonException("empty configuration_json");

    public static string Unit(IReadOnlyList<double> unit) => JsonSerializer.Serialize(unit, TrialRecordJson.Options);

    public static double[] ParseUnit(string json) =>
        JsonSerializer.Deserialize<double[]>(json, TrialRecordJson.Options) ?? throw new JsonException("empty unit_json");

    public static string State(TrialState state) => state switch
    {
        TrialState.Waiting => "waiting",
        TrialState.Running => "running",
        TrialState.Finished => "finished",
        TrialState.Abandoned => "abandoned",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown trial state"),
    };

    public static TrialState ParseState(string text) => text switch
    {
        "waiting" => TrialState.Waiting,
        "running" => TrialState.Running,
        "finished" => TrialState.Finished,
        "abandoned" => TrialState.Abandoned,
        _ => throw new FormatException($"unknown trial state '{text}' in the study store"),
    };

    /// <summary>The record's status as the JSON writes it (e.g. <c>not_reached</c>), for the queryable status column.</summary>
    public static string Status(TrialStatus status) => JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    /// <summary>A number as invariant text, exact for doubles.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
