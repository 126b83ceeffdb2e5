using System.Globalization;
using CsvHelper;

namespace Tuner.Reports;

/// <summary>
/// Writes machine-read CSV the same way everywhere: invariant culture, RFC 4180 quoting, "\n" line ends, text cells
/// starting with = + - @ neutralised against spreadsheet formula injection, written to a temporary file and moved
/// into place (a crash never leaves half a file).
/// </summary>
public static class CsvTable
{
    public static void Write(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        string temp = full + ".tmp";
        using (CsvWriter writer = CsvWriter.ToFile(temp, CsvWriterOptions.Default with { NewLine = "\n", FormatProvider = CultureInfo.InvariantCulture, Injection = CsvInjection.Escape }))
        {
            writer.WriteHeader([.. header]);
            foreach (IReadOnlyList<string> row in rows)
            {
                writer.WriteRecord([.. row]);
            }
        }

        File.Move(temp, full, true);
    }

    /// <summary>Reads a CSV into rows keyed by column name.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> Read(string path, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var rows = new List<IReadOnlyDictionary<string, string>>();
        using CsvReader reader = CsvReader.FromFile(path, CsvReaderOptions.Default with { Separator = ',', FormatProvider = CultureInfo.InvariantCulture });
        while (reader.Read())
        {
            rows.Add(columns.ToDictionary(c => c, reader.GetString, StringComparer.Ordinal));
        }

        return rows;
    }

    public static string Whole(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Whole(long? value) => value is long v ? Whole(v) : string.Empty;

    /// <summary>Up to 4 decimals, no exponent for ordinary magnitudes; empty for null, NaN and infinities.</summary>
    public static string Number(double? value) => value is double d && double.IsFinite(d) ? d.ToString("0.####", CultureInfo.InvariantCulture) : string.Empty;

    /// <summary>Round-trip precision (for values read back exactly, like a learning rate).</summary>
    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? value) => value?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) ?? string.Empty;
}
