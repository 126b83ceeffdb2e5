using System.Text.Json;
using System.Text.Json.Nodes;
using Tuner.Core.Errors;

namespace Tuner.Core.Json;

/// <summary>
/// The one reading rule for the JSON files users write (suite files, search spaces, nightly manifests): the file must be a
/// readable regular file of sane size; comments and trailing commas are allowed; a key given twice, a key the format does
/// not know, and two keys that exclude each other are one-line errors naming the file and the key.
/// </summary>
public static class StrictJson
{
    /// <summary>The largest file read (the formats are a few kilobytes; a larger file is a mistake).</summary>
    public const long MaxFileBytes = 1 << 20;

    /// <summary>Nesting deeper than this is refused.</summary>
    public const int MaxDepth = 64;

    /// <summary>The document options of the rule.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        AllowDuplicateProperties = false,
        MaxDepth = MaxDepth,
    };

    /// <summary>The text of the file at <paramref name="path"/>; <paramref name="what"/> ("suite file") names it in errors.</summary>
    public static string ReadFile(string path, string what)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new TunerInputException($"the {what} path is empty: give the path of a JSON file");
        }

        try
        {
            string full = Path.GetFullPath(path);
            if (Directory.Exists(full))
            {
                throw new TunerInputException($"{what} '{path}' is a folder: give the path of a JSON file");
            }

            var info = new FileInfo(full);
            if (!info.Exists)
            {
                throw new TunerInputException($"{what} '{path}' not found: check the path");
            }

            if (info.Length == 0)
            {
                throw new TunerInputException($"{what} '{path}' is empty or not a regular file: give a JSON file");
            }

            if (info.Length > MaxFileBytes)
            {
                throw new TunerInputException($"{what} '{path}' is {info.Length / 1024} KiB: larger than the {MaxFileBytes / 1024} KiB a {what} may be; check the path");
            }

            return File.ReadAllText(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TunerInputException($"cannot read {what} '{path}': {OneLine(ex.Message)}", ex);
        }
    }

    /// <summary>Parses <paramref name="text"/> under the rule; <paramref name="source"/> ("suite file 'x.json'") names it in errors.</summary>
    public static JsonDocument Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return JsonDocument.Parse(text, DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw Invalid(source, ex);
        }
    }

    /// <summary>As <see cref="Parse"/>, as a mutable node tree.</summary>
    public static JsonNode? ParseNode(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            return JsonNode.Parse(text, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            throw Invalid(source, ex);
        }
    }

    /// <summary>A one-line error for a key of <paramref name="obj"/> that is not in <paramref name="known"/>.</summary>
    public static void KnownKeys(JsonElement obj, string where, params string[] known)
    {
        ArgumentNullException.ThrowIfNull(known);
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (JsonProperty property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name, StringComparer.Ordinal))
            {
                throw new TunerInputException($"{where}: unknown key '{property.Name}'{Suggestion(property.Name, known)}: valid keys are {string.Join(", ", known)}");
            }
        }
    }

    /// <summary>A one-line error when <paramref name="obj"/> has more than one of <paramref name="exclusive"/>.</summary>
    public static void AtMostOne(JsonElement obj, string where, params string[] exclusive)
    {
        ArgumentNullException.ThrowIfNull(exclusive);
        string[] present = [.. exclusive.Where(k => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(k, out _))];
        if (present.Length > 1)
        {
            throw new TunerInputException($"{where}: '{present[0]}' and '{present[1]}' exclude each other: give one of them");
        }
    }

    private static TunerInputException Invalid(string source, JsonException ex)
    {
        string reason = ex.Message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase)
            ? "a key is given twice" + DuplicateName(ex.Message)
            : "fix the syntax";
        return new TunerInputException($"{source} is not valid JSON (line {(ex.LineNumber ?? 0) + 1}): {reason}", ex);
    }

    private static string DuplicateName(string message)
    {
        int start = message.IndexOf('\'', StringComparison.Ordinal);
        int end = start < 0 ? -1 : message.IndexOf('\'', start + 1);
        return end > start ? $" ('{message[(start + 1)..end]}'): give it once" : ": give each key once";
    }

    private static string Suggestion(string key, string[] known)
    {
        string? close = known.FirstOrDefault(k => Distance(k, key.ToLowerInvariant()) <= 2);
        return close is null ? string.Empty : $" (did you mean '{close}'?)";
    }

    private static int Distance(string a, string b)
    {
        int[] previous = [.. Enumerable.Range(0, b.Length + 1)];
        for (int i = 1; i <= a.Length; i++)
        {
            int[] current = new int[b.Length + 1];
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
