namespace Tuner.Suites.Tests;

/// <summary>Paths in the source tree, found by walking up from the test binaries.</summary>
internal static class RepositoryPaths
{
    public static string BuiltinSuites { get; } = Find(Path.Combine("suites", "Tuner.Suites", "builtin"));

    private static string Find(string relative)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}
