using Tuner.Data;

namespace Tuner.Suites.Tests;

/// <summary>The real datasets in the data cache (fetched on first use, checksummed).</summary>
internal static class RealData
{
    public static DataStore Store { get; } = new(DataStore.DefaultRoot(null));

    /// <summary>sklearn digits: 1,797 rows, 64 features 0..16, labels 0..9.</summary>
    public static NumericTable DigitsTable()
    {
        IReadOnlyDictionary<string, string> files = Store.EnsureAsync(KnownDatasets.SklearnDigits, null, CancellationToken.None).GetAwaiter().GetResult();
        return SklearnCsvReader.Read(files[KnownDatasets.SklearnDigits.Files[0].FileName]);
    }
}
