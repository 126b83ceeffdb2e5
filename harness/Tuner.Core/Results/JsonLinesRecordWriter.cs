using System.Text;
using Tuner.Core.Trials;

namespace Tuner.Core.Results;

/// <summary>
/// Appends trial records to a JSON-lines file. Each record is written with one append of one complete line, so
/// a crash never leaves earlier records unreadable, and concurrent writers on one machine do not interleave.
/// </summary>
public sealed class JsonLinesRecordWriter
{
    public const string DefaultFileName = "trials.jsonl";

    public JsonLinesRecordWriter(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = path;
    }

    public string Path { get; }

    /// <summary>
    /// The file for <c>--out</c>: a path ending in .jsonl, or an existing file (such as /dev/null), is used as is; anything
    /// else is a folder that gets trials.jsonl. Without <c>--out</c>: results/runs/trials.jsonl under
    /// <paramref name="baseDirectory"/>. An empty value, or a path below a file, is a one-line input error.
    /// </summary>
    public static string ResolvePath(string? outOption, string baseDirectory)
    {
        if (outOption is null)
        {
            return System.IO.Path.Combine(baseDirectory, "results", "runs", DefaultFileName);
        }

        string full = Files.UserPaths.Full(outOption, "--out", baseDirectory);
        return full.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || File.Exists(full)
            ? Files.UserPaths.File(outOption, "--out", baseDirectory)
            : System.IO.Path.Combine(Files.UserPaths.Folder(outOption, "--out", baseDirectory), DefaultFileName);
    }

    public async Task AppendAsync(TrialRecord record, CancellationToken cancellationToken)
    {
        string? directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        byte[] line = Encoding.UTF8.GetBytes(TrialRecordJson.Serialize(record) + "\n");
        await using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite, 1, FileOptions.None);
        await stream.WriteAsync(line, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
