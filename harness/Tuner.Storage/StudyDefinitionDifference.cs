using System.Globalization;
using Tuner.Storage.Sqlite;

namespace Tuner.Storage;

/// <summary>
/// Says in which field a requested study definition differs from the stored one, in the words the SQLite store uses
/// ("for suite 'a', not 'b'"), so that a mismatched <c>--study</c> reads the same whichever store holds it.
/// </summary>
internal static class StudyDefinitionDifference
{
    /// <summary>The first field in which <paramref name="requested"/> differs from <paramref name="stored"/>, phrased for
    /// "was created ...", or null when they match (<see cref="StudyDefinition.CreatedBy"/> is not compared).</summary>
    public static string? Describe(StudyDefinition stored, StudyDefinition requested)
    {
        if (!string.Equals(stored.Suite, requested.Suite, StringComparison.Ordinal))
        {
            return $"for suite '{Quote(stored.Suite)}', not '{Quote(requested.Suite)}'";
        }

        if (!string.Equals(stored.Tuner, requested.Tuner, StringComparison.Ordinal))
        {
            return $"for tuner '{Quote(stored.Tuner)}', not '{Quote(requested.Tuner)}'";
        }

        if (stored.TunerSeed != requested.TunerSeed)
        {
            return string.Create(CultureInfo.InvariantCulture, $"with tuner seed {stored.TunerSeed}, not {requested.TunerSeed}");
        }

        if (stored.Budget != requested.Budget)
        {
            return $"with budget '{stored.Budget}', not '{requested.Budget}'";
        }

        if (!string.Equals(stored.TargetMetric, requested.TargetMetric, StringComparison.Ordinal) || !stored.TargetValue.Equals(requested.TargetValue))
        {
            return $"with target '{Quote(stored.TargetMetric)} >= {SqliteValues.Number(stored.TargetValue)}', " +
                   $"not '{Quote(requested.TargetMetric)} >= {SqliteValues.Number(requested.TargetValue)}'";
        }

        if (!string.Equals(stored.SpaceJson, requested.SpaceJson, StringComparison.Ordinal))
        {
            int at = 0;
            int common = Math.Min(stored.SpaceJson.Length, requested.SpaceJson.Length);
            while (at < common && stored.SpaceJson[at] == requested.SpaceJson[at])
            {
                at++;
            }

            return string.Create(
                CultureInfo.InvariantCulture,
                $"with a different search space (from character {at}: stored '{Excerpt(stored.SpaceJson, at)}', requested '{Excerpt(requested.SpaceJson, at)}')");
        }

        return null;
    }

    private static string Quote(string value) => SqliteStoreFile.OneLine(value, 120);

    /// <summary>Up to 60 characters of <paramref name="text"/> around <paramref name="at"/>, on one line.</summary>
    private static string Excerpt(string text, int at)
    {
        int start = Math.Max(0, at - 20);
        int length = Math.Min(60, text.Length - start);
        string excerpt = SqliteStoreFile.OneLine(text.Substring(start, length), 60);
        return (start > 0 ? "…" : string.Empty) + excerpt + (start + length < text.Length ? "…" : string.Empty);
    }
}
