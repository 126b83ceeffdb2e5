using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Tuner.Training.Runtime;

namespace Tuner.Benchmarks.Hooks;

/// <summary>
/// <c>hooks</c>: the engine's per-batch overhead (<see cref="EngineStepBenchmarks"/>) and each technique's per-step cost
/// (<see cref="HookBenchmarks"/>, <see cref="CnnHookBenchmarks"/>), BenchmarkDotNet in-process, one torch thread, then
/// <see cref="HookSummary"/>'s tables (printed and written beside BenchmarkDotNet's reports as hooks-summary.md).
/// <c>--techniques a,b</c> restricts the hook cases; the other arguments go to BenchmarkDotNet
/// (<c>--filter *EngineStep*</c>, <c>--filter *.HookBenchmarks.*</c>, <c>--filter *Cnn*</c>, ...).
/// </summary>
internal static class HooksCommand
{
    /// <summary>
    /// In-process (the suites' data is loaded once for all cases), one invocation per iteration (an invocation is a
    /// whole run of <see cref="HookSuites.StepsPerRun"/> steps, about 1 s on fashion-mlp), one warm-up and three
    /// measured iterations (the engine benchmarks ask for more): each case takes seconds and the whole set a few
    /// minutes on 2 cores.
    /// </summary>
    public static readonly IConfig Config = DefaultConfig.Instance
        .AddJob(Job.ShortRun
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithInvocationCount(1)
            .WithUnrollFactor(1)
            .WithWarmupCount(1)
            .WithIterationCount(3))
        .WithOptions(ConfigOptions.DisableOptimizationsValidator)
        .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48));

    public const string Usage = "hooks [--techniques name,name] [BenchmarkDotNet args, e.g. --filter *EngineStep*]";

    public static int Run(string[] args)
    {
        long started = TimeProvider.System.GetTimestamp();
        int at = Array.IndexOf(args, "--techniques");
        if (at >= 0)
        {
            if (at + 1 >= args.Length)
            {
                Console.Error.WriteLine("hooks: --techniques needs a comma-separated list of technique names (tuner list techniques)");
                return 2;
            }

            string[] names = args[at + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string? unknown = names.FirstOrDefault(n => Techniques.TechniqueRegistry.Find(n) is null);
            if (unknown is not null)
            {
                Console.Error.WriteLine($"hooks: unknown technique '{unknown}': use one of {string.Join(", ", Techniques.TechniqueRegistry.All.Select(d => d.Name))}");
                return 2;
            }

            HookCatalog.Only = names.Select(n => Techniques.TechniqueRegistry.Find(n)!.Name).ToHashSet(StringComparer.Ordinal);
            args = [.. args[..at], .. args[(at + 2)..]];
        }

        TorchRuntime.SetThreads(1);
        Type[] types = [typeof(EngineStepBenchmarks), .. HookBenchmarks.Cases().Any() ? [typeof(HookBenchmarks)] : Array.Empty<Type>(),
            .. CnnHookBenchmarks.Cases().Any() ? [typeof(CnnHookBenchmarks)] : Array.Empty<Type>()];
        Summary[] summaries = BenchmarkRunner.Run(types, Config, args);

        string markdown = HookSummary.Markdown(summaries);
        Console.WriteLine();
        Console.WriteLine(markdown);
        if (summaries.Length > 0)
        {
            string path = Path.Combine(summaries[0].ResultsDirectoryPath, "hooks-summary.md");
            File.WriteAllText(path, markdown);
            Console.WriteLine($"hooks: summary written to {path}");
        }

        foreach (HookCase moved in HookCatalog.Cases.Where(c => c.Note is not null))
        {
            Console.WriteLine($"hooks: {moved.Technique} ran on {moved.Suite}, {moved.Note}");
        }

        foreach (SkippedHook skipped in HookCatalog.Skipped)
        {
            Console.WriteLine($"hooks: SKIPPED {skipped.Technique}: {skipped.Reason}");
        }

        bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hooks: {summaries.Sum(s => s.BenchmarksCases.Length)} cases in {TimeProvider.System.GetElapsedTime(started).TotalMinutes:0.0} min{(failed ? "; some cases FAILED (see above)" : string.Empty)}"));
        return failed ? 1 : 0;
    }
}
