using Tuner.Core.Budgets;
using Tuner.Runner.Search;
using Tuner.Search.Space;
using Tuner.Storage;
using Tuner.Storage.Sqlite;
using Tuner.Suites.Specs;

namespace Tuner.Runner.Tests.Search;

/// <summary>A temporary SQLite store, the digits suite and an in-process runner on one thread (real training, real SQLite).</summary>
public sealed class StudyFixture : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-study").FullName;

    public StudyFixture()
    {
        TorchSharp.torch.set_num_threads(1);
        Suite = SuiteCatalog.Resolve("digits-mlp");
        Runner = new InProcessTrialRunner();
    }

    public SuiteSpec Suite { get; }

    public InProcessTrialRunner Runner { get; }

    public string StorePath(string name) => Path.Combine(_dir, name + ".db");

    public static Task<SqliteStudyStorage> OpenAsync(string path) => SqliteStudyStorage.OpenAsync(path);

    /// <summary>A small space: lr and batch size around the baseline, ema and precision optional.</summary>
    public SearchOptions Options(string study, string tuner = "random", int? trials = 4, Budget? budget = null) => new()
    {
        StudyName = study,
        Suite = Suite,
        Space = new SearchSpace(
            Suite.Baseline,
            [new RangeParameter("lr", 0.005, 0.05, log: true), new ChoiceParameter("batch_size", ["32", "64"])],
            [new TechniqueDimension("ema", options: [new ChoiceParameter("decay", ["0.9", "0.99"])]), new TechniqueDimension("precision")]),
        Tuner = tuner,
        Budget = budget ?? Budget.Seconds(5),
        MaxTrials = trials,
        Host = new TrialHost { Threads = 1 },
        TunerSeed = 3,
    };

    public void Dispose()
    {
        Runner.Dispose();
        Directory.Delete(_dir, true);
    }
}
