namespace Tuner.Data;

/// <summary>
/// A dataset that lives in a Debian package: <paramref name="Id"/> is also its folder name in the <see cref="DataStore"/>.
/// With a <see cref="Recipe"/>, its one file is made another way (a Debian program's output, an npm tarball) and
/// <paramref name="DebianPackage"/> only names where it comes from in messages.
/// </summary>
public sealed record DatasetSource(string Id, string DebianPackage, IReadOnlyList<DatasetFile> Files, string Description)
{
    /// <summary>How the file is made when it is not copied out of <see cref="DebianPackage"/>; null: copied.</summary>
    public DatasetRecipe? Recipe { get; init; }
}

/// <summary>How a dataset's single file is made when it is not a file of a Debian package.</summary>
public abstract record DatasetRecipe;

/// <summary>
/// The standard output of a program from Debian packages, run on data from those packages: installed when it is, else
/// taken from <c>apt-get download</c> + <c>dpkg-deb -x</c> of every package into one folder and run from there.
/// <c>{data}</c> in an argument becomes <see cref="DataFolder"/> (installed) or that folder inside the extracted tree.
/// The program runs without COLUMNS, LINES and TERM, in the C locale, so its output is the same everywhere.
/// </summary>
/// <param name="Packages">The Debian packages (program and data).</param>
/// <param name="Program">The program's absolute path as installed, e.g. <c>/usr/bin/bible</c>.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="DataFolder">The data folder's absolute path as installed, e.g. <c>/usr/lib</c>.</param>
public sealed record DebianProgramOutput(IReadOnlyList<string> Packages, string Program, IReadOnlyList<string> Arguments, string DataFolder) : DatasetRecipe;

/// <summary>An npm package's published tarball, as <c>npm pack PACKAGE@VERSION</c> downloads it (no install).</summary>
public sealed record NpmTarball(string Package, string Version) : DatasetRecipe
{
    public string Spec => Package + "@" + Version;
}
