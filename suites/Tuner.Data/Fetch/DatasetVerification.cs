namespace Tuner.Data;

/// <summary>
/// What <see cref="DataStore.Verify"/> found in a dataset folder: files that are missing and files whose checksum is wrong.
/// </summary>
public sealed record DatasetVerification(
    DatasetSource Source,
    string Directory,
    IReadOnlyList<string> MissingFiles,
    IReadOnlyList<ChecksumMismatch> Mismatches)
{
    /// <summary>True when every file is present with the expected SHA-256.</summary>
    public bool IsComplete => MissingFiles.Count == 0 && Mismatches.Count == 0;

    /// <summary>File name to full path, for every file of the dataset (present or not).</summary>
    public IReadOnlyDictionary<string, string> Paths =>
        Source.Files.ToDictionary(f => f.FileName, f => System.IO.Path.Combine(Directory, f.FileName), StringComparer.Ordinal);
}
