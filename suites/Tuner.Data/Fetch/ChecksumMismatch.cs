namespace Tuner.Data;

/// <summary>A file on disk whose SHA-256 (<paramref name="Actual"/>) is not the expected one.</summary>
public sealed record ChecksumMismatch(string FileName, string Path, string Expected, string Actual);
