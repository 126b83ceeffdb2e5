using Tuner.Core.Errors;

namespace Tuner.Suites.Specs;

/// <summary>
/// The built-in suites (JSON files shipped next to the binaries in suites/, same format as user suites) and lookup of
/// <c>--suite</c>: a built-in name, or the path of a user's suite JSON file.
/// </summary>
public static class SuiteCatalog
{
    public static string BuiltinDirectory => Path.Combine(AppContext.BaseDirectory, "suites");

    public static IReadOnlyList<SuiteSpec> Builtin()
    {
        if (!Directory.Exists(BuiltinDirectory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(BuiltinDirectory, "*.json").Order(StringComparer.Ordinal).Select(SuiteFile.Load)];
    }

    /// <summary>
    /// How <paramref name="suite"/> is named to another process (a worker, a study's other machines): a built-in suite
    /// (read from <see cref="BuiltinDirectory"/>, or made in code) by its name, a user's suite by its file's full path.
    /// </summary>
    public static string Reference(SuiteSpec suite)
    {
        ArgumentNullException.ThrowIfNull(suite);
        if (suite.SourcePath is null)
        {
            return suite.Name;
        }

        string source = Path.GetFullPath(suite.SourcePath);
        string builtin = Path.GetFullPath(BuiltinDirectory).TrimEnd(Path.DirectorySeparatorChar);
        return string.Equals(Path.GetDirectoryName(source), builtin, StringComparison.Ordinal) ? suite.Name : source;
    }

    /// <summary>Resolves a built-in suite name or a suite file path; unknown names get a one-line error listing the choices.</summary>
    public static SuiteSpec Resolve(string nameOrPath) => Resolve(nameOrPath, Environment.CurrentDirectory);

    /// <summary>As <see cref="Resolve(string)"/>, with a suite file's relative path taken relative to <paramref name="baseDirectory"/>.</summary>
    public static SuiteSpec Resolve(string nameOrPath, string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        ArgumentNullException.ThrowIfNull(baseDirectory);
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || nameOrPath.Contains('/', StringComparison.Ordinal)
            || nameOrPath.Contains('\0', StringComparison.Ordinal) || File.Exists(Path.Combine(baseDirectory, nameOrPath)))
        {
            string full;
            try
            {
                full = Path.GetFullPath(nameOrPath, baseDirectory);
            }
            catch (ArgumentException ex)
            {
                throw new TunerInputException($"suite '{nameOrPath.Replace('\0', '?')}' is not a valid path: give a built-in suite name or the path of a suite JSON file", ex);
            }

            return SuiteFile.Load(full);
        }

        IReadOnlyList<SuiteSpec> builtin = Builtin();
        return builtin.FirstOrDefault(s => string.Equals(s.Name, nameOrPath, StringComparison.OrdinalIgnoreCase))
            ?? throw new TunerInputException(
                $"unknown suite '{nameOrPath}': use one of {string.Join(", ", builtin.Select(s => s.Name))} (tuner list suites), or the path of a suite JSON file");
    }
}
