using System.Text.Json;

namespace Tuner.Tests;

/// <summary>
/// The workloads of tests/Tuner.TestWorkloads, built as their own assembly (the test projects depend on it being built,
/// not on its code) and loaded by Tuner from a suite file, as a user's would be.
/// </summary>
internal static class TestWorkloads
{
    /// <summary>The built Tuner.TestWorkloads.dll, in the same configuration as the running tests.</summary>
    public static string AssemblyPath
    {
        get
        {
            string configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
            string path = Path.Combine(RepoRoot, "tests", "Tuner.TestWorkloads", "bin", configuration, "net10.0", "Tuner.TestWorkloads.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"build tests/Tuner.TestWorkloads ({configuration}) first", path);
        }
    }

    /// <summary>The repository root (the folder holding Tuner.sln).</summary>
    public static string RepoRoot
    {
        get
        {
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Tuner.sln")))
                {
                    return dir.FullName;
                }
            }

            throw new DirectoryNotFoundException("Tuner.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>
    /// Writes <paramref name="directory"/>/<paramref name="name"/>.json, a suite of the test workload
    /// <paramref name="type"/> (a type name in Tuner.TestWorkloads), and returns its path.
    /// </summary>
    public static string WriteSuite(string directory, string type = "RingsWorkload", string name = "rings", object? options = null, double target = 0.9, string budget = "400steps", string? assembly = null)
    {
        Directory.CreateDirectory(directory);
        var suite = new Dictionary<string, object>
        {
            ["name"] = name,
            ["description"] = "test workload from an assembly",
            ["workload"] = new Dictionary<string, object>
            {
                ["assembly"] = assembly ?? AssemblyPath,
                ["type"] = type.Contains('.', StringComparison.Ordinal) ? type : "Tuner.TestWorkloads." + type,
                ["options"] = options ?? new Dictionary<string, object>(),
            },
            ["target"] = new { metric = "accuracy", value = target },
            ["budget"] = budget,
            ["baseline"] = new { optimizer = "adam", lr = 0.01, batch_size = 32, eval_samples = 640 },
        };
        string path = Path.Combine(directory, name + ".json");
        File.WriteAllText(path, JsonSerializer.Serialize(suite));
        return path;
    }
}
