namespace Tuner.Data;

/// <summary>
/// A dataset that lives in a Debian package: <paramref name="Id"/> is also its folder name in the <see cref="DataStore"/>.
/// </summary>
public sealed record DatasetSource(string Id, string DebianPackage, IReadOnlyList<DatasetFile> Files, string Description);
