using TorchSharp;
using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Core.Workloads;
using Tuner.Suites.Specs;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests;

/// <summary>
/// The contract every technique keeps, checked through real short training runs on the digits suites (one thread):
/// its mechanism probe sees it act alone on every suite where it applies, with every optimizer, and in every compatible
/// pair; both listing orders of a pair train bit-identically; every pair still learns; nothing leaks. A technique without
/// a probe, a unique order or a mirrored test folder fails here.
/// </summary>
public sealed class TechniqueContractTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    /// <summary>The suites the contract runs on, in the order a pair's suite is chosen: an MLP on images, a cnn, a residual MLP, a tiny character-level Transformer (test-only, TestSuites/tiny-lm.json).</summary>
    public static readonly string[] Suites = ["digits-mlp", "digits-cnn", "digits-resmlp", "tiny-lm"];

    private const int AloneSteps = 60;
    private const int PairSteps = 200;

    /// <summary>Chance on digits is 0.1; every pair must be well above it (4x) after <see cref="PairSteps"/> steps.</summary>
    private const double LearnedAccuracy = 0.4;

    /// <summary>On tiny-lm uniform guessing costs 7 bits per character and the unigram entropy is about 4.4; every pair must get below 5 bits in its 200 steps (the baseline reaches about 3.7).</summary>
    private const double LearnedBitsPerChar = 5.0;

    /// <summary>Whether a run on <paramref name="suite"/> learned: above <see cref="LearnedAccuracy"/>, or below <see cref="LearnedBitsPerChar"/> on the language model.</summary>
    private static bool Learned(string suite, double? best) =>
        best is double b && (TestSuites.Resolve(suite).Target.LowerIsBetter ? b <= LearnedBitsPerChar : b >= LearnedAccuracy);

    public static TheoryData<string, string> TechniqueOnSuite()
    {
        var data = new TheoryData<string, string>();
        foreach (TechniqueDescriptor d in TechniqueRegistry.All)
        {
            foreach (string suite in Suites.Where(s => d.AppliesTo(TestSuites.Resolve(s).Facts)))
            {
                data.Add(d.Name, suite);
            }
        }

        return data;
    }

    public static TheoryData<string, string> TechniqueWithOptimizer()
    {
        var data = new TheoryData<string, string>();
        foreach (TechniqueDescriptor d in TechniqueRegistry.All)
        {
            foreach (string optimizer in OptimizerCatalog.Names)
            {
                data.Add(d.Name, optimizer);
            }
        }

        return data;
    }

    /// <summary>Every pair of techniques that may be combined (no declared conflict) and share a suite, with the first such suite.</summary>
    public static TheoryData<string, string, string> CompatiblePairs()
    {
        var data = new TheoryData<string, string, string>();
        IReadOnlyList<TechniqueDescriptor> all = TechniqueRegistry.All;
        for (int i = 0; i < all.Count; i++)
        {
            for (int j = i + 1; j < all.Count; j++)
            {
                TechniqueDescriptor a = all[i], b = all[j];
                string? suite = Suites.FirstOrDefault(s => a.AppliesTo(TestSuites.Resolve(s).Facts) && b.AppliesTo(TestSuites.Resolve(s).Facts));
                if (!a.Conflicts.Contains(b.Name) && suite is not null)
                {
                    data.Add(a.Name, b.Name, suite);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TechniqueOnSuite))]
    public void Probe_TechniqueAlone_SeesItsMechanismAndLeaksNothing(string name, string suite)
    {
        (TrainingOutcome outcome, IReadOnlyDictionary<string, string?> verdicts) = RunWithProbes(suite, [Spec(name)], AloneSteps);

        Assert.True(outcome.Status == TrialStatus.NotReached, $"{name} on {suite}: {outcome.Status} {outcome.FailureReason}");
        Assert.Equal(AloneSteps, outcome.Steps);
        Assert.Equal(AloneSteps, outcome.OptimizerSteps);
        Assert.True(double.IsFinite(outcome.FinalTrainLoss!.Value));
        Assert.True(verdicts[name] is null, $"{name} on {suite}: {verdicts[name]}");
    }

    [Theory]
    [MemberData(nameof(TechniqueWithOptimizer))]
    public void Probe_TechniqueWithEachOptimizer_StillActsAndTheOptimizerStepsOncePerBatch(string name, string optimizer)
    {
        string suite = Suites.First(s => TechniqueRegistry.Find(name)!.AppliesTo(TestSuites.Resolve(s).Facts));
        TrainingConfiguration configuration = ConfigurationOverrides.Apply(suites.Get(suite).Suite.Baseline, [$"optimizer={optimizer}", $"lr={LearningRateFor(optimizer)}"]);

        (TrainingOutcome outcome, IReadOnlyDictionary<string, string?> verdicts) = RunWithProbes(suite, [Spec(name)], AloneSteps, configuration);

        Assert.True(outcome.Status == TrialStatus.NotReached, $"{name} with {optimizer}: {outcome.Status} {outcome.FailureReason}");
        Assert.Equal(AloneSteps, outcome.OptimizerSteps);
        Assert.True(verdicts[name] is null, $"{name} with {optimizer}: {verdicts[name]}");
    }

    [Theory]
    [MemberData(nameof(CompatiblePairs))]
    public void Pair_EitherListingOrder_TrainsBitIdenticallyBothMechanismsActAndItLearns(string first, string second, string suite)
    {
        (TrainingOutcome forward, IReadOnlyDictionary<string, string?> forwardVerdicts) = RunWithProbes(suite, [Spec(first), Spec(second)], PairSteps);
        (TrainingOutcome backward, IReadOnlyDictionary<string, string?> backwardVerdicts) = RunWithProbes(suite, [Spec(second), Spec(first)], PairSteps);

        string pair = $"{first} + {second} on {suite}";
        Assert.True(forward.Status == TrialStatus.NotReached, $"{pair}: {forward.Status} {forward.FailureReason}");
        Assert.Equal(PairSteps, forward.OptimizerSteps);
        Assert.True(forwardVerdicts[first] is null, $"{pair}: {forwardVerdicts[first]}");
        Assert.True(forwardVerdicts[second] is null, $"{pair}: {forwardVerdicts[second]}");
        Assert.True(backwardVerdicts[first] is null && backwardVerdicts[second] is null, $"{pair} listed the other way: {backwardVerdicts[first] ?? backwardVerdicts[second]}");
        Assert.Equal(Curve(forward), Curve(backward));
        Assert.True(Learned(suite, forward.BestMetric), $"{pair}: best metric {forward.BestMetric:0.000} after {PairSteps} steps (accuracy: chance 0.1; tiny-lm: bits per character, unigram 4.4)");
    }

    [Theory]
    [InlineData("digits-mlp", new[] { "label_smoothing", "selective_backprop", "data_pruning", "warmup", "ema" })]
    [InlineData("digits-mlp", new[] { "augment", "mixup", "label_smoothing", "importance_sampling", "sam", "grad_clip" })]
    [InlineData("digits-cnn", new[] { "progressive_resizing", "augment", "cutmix", "channels_last", "precision", "lookahead" })]
    [InlineData("digits-cnn", new[] { "model_scaling", "init_orthogonal", "layer_freezing", "magnitude_pruning", "lookahead", "swa" })]
    [InlineData("digits-resmlp", new[] { "init_fixup", "stochastic_depth", "precision", "layer_freezing", "magnitude_pruning", "cosine", "warmup" })]
    [InlineData("digits-resmlp", new[] { "curriculum", "mixup", "label_smoothing", "sam", "lookahead", "ema", "prefetch" })]
    public void Combination_ManyTechniquesTogether_EveryMechanismActs(string suite, string[] names)
    {
        (TrainingOutcome outcome, IReadOnlyDictionary<string, string?> verdicts) = RunWithProbes(suite, [.. names.Select(Spec)], PairSteps);

        Assert.True(outcome.Status == TrialStatus.NotReached, $"{outcome.Status} {outcome.FailureReason}");
        Assert.All(names, n => Assert.True(verdicts[n] is null, $"{string.Join(" + ", names)}: {verdicts[n]}"));
        Assert.True(Learned(suite, outcome.BestMetric), $"{string.Join(" + ", names)}: best metric {outcome.BestMetric:0.000}");
    }

    public static TheoryData<int> CombinationSeeds() => [1, 2, 3, 4, 5, 6];

    [Theory]
    [MemberData(nameof(CombinationSeeds))]
    public void Combination_RandomValidFour_EveryMechanismActs(int seed)
    {
        var random = new Random(seed);
        string suite = Suites[seed % Suites.Length];
        WorkloadFacts facts = TestSuites.Resolve(suite).Facts;
        var chosen = new List<TechniqueSpec>();
        foreach (TechniqueDescriptor d in TechniqueRegistry.All.Where(d => d.AppliesTo(facts)).OrderBy(_ => random.Next()))
        {
            if (chosen.Count < 4 && !chosen.Any(c => d.Conflicts.Contains(c.Name)))
            {
                chosen.Add(Spec(d.Name));
            }
        }

        (TrainingOutcome outcome, IReadOnlyDictionary<string, string?> verdicts) = RunWithProbes(suite, chosen, AloneSteps);

        string names = string.Join(", ", chosen);
        Assert.True(outcome.Status == TrialStatus.NotReached, $"{names}: {outcome.Status} {outcome.FailureReason}");
        Assert.All(chosen, c => Assert.True(verdicts[c.Name] is null, $"{names} on {suite}: {verdicts[c.Name]}"));
    }

    [Fact]
    public void Run_TechniqueThatKeepsATensor_IsCaughtByTheLiveCount()
    {
        var kept = new List<TorchSharp.torch.Tensor>();
        var leaky = new ProbeTechnique("leaky", TrainingEvent.BatchEnd, (_, s) => kept.Add(s.Inputs!.detach().DetachFromDisposeScope()));
        TrainingRequest request = suites.Request("digits-mlp", CoreBudget.Steps(2), [leaky]);
        suites.Get("digits-mlp");

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        BudgetedTrainer.Run(request, null, CancellationToken.None);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        kept.ForEach(t => t.Dispose());

        Assert.Equal(before + 2, after); // the contract's measurement sees a leak of one tensor per batch
    }

    [Fact]
    public void Probe_TechniqueWhoseWorkIsUndone_IsCaught()
    {
        // A saboteur that puts the live weights back after EMA swapped its average in: the probe must notice that
        // evaluation no longer sees the average (what happened when EMA skipped its updates under another optimizer).
        var ema = TechniqueRegistry.Create(Spec("ema"));
        float[][]? live = null;
        var saboteur = new ProbeTechnique(
            "saboteur",
            (e, _) => e is TrainingEvent.AfterOptimizerStep or TrainingEvent.EvalStart,
            (e, s) =>
            {
                if (e == TrainingEvent.AfterOptimizerStep)
                {
                    live = ProbeValues.Parameters(s.Model);
                    return;
                }

                using var noGrad = TorchSharp.torch.no_grad();
                foreach ((TorchSharp.Modules.Parameter p, int i) in s.Model.parameters().Select((p, i) => (p, i)))
                {
                    p.copy_(TorchSharp.torch.tensor(live![i]).reshape(p.shape));
                }
            });
        ITechniqueProbe probe = TechniqueRegistry.Find("ema")!.Probe(ema);

        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("digits-mlp", CoreBudget.Steps(30), [ema, saboteur], observers: [probe]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Contains("ema: evaluation at step 10 sees weights", probe.Verdict(outcome), StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_EveryTechnique_HasMechanismTestsInItsMirroredFolder()
    {
        HashSet<string> testNamespaces = [.. typeof(TechniqueContractTests).Assembly.GetTypes().Select(t => t.Namespace ?? string.Empty)];
        foreach (TechniqueDescriptor d in TechniqueRegistry.All)
        {
            string expected = $"Tuner.Techniques.Tests.{(d.Category == TechniqueCategory.System ? "Systems" : d.Category.ToString())}.{d.Folder}";
            Assert.True(testNamespaces.Contains(expected), $"technique {d.Name} has no mechanism tests: expected a test class in namespace {expected}");
        }
    }

    [Fact]
    public void Registry_EveryTechnique_HasAProbeAUniqueOrderAndSymmetricConflicts()
    {
        Assert.Equal(TechniqueRegistry.All.Count, TechniqueRegistry.All.Select(d => d.Order).Distinct().Count());
        Assert.Equal(TechniqueRegistry.All.OrderBy(d => d.Order).Select(d => d.Name), TechniqueRegistry.All.Select(d => d.Name));
        foreach (TechniqueDescriptor d in TechniqueRegistry.All)
        {
            Assert.False(string.IsNullOrWhiteSpace(d.ProbeSummary), $"{d.Name} does not say what its probe checks");
            Assert.NotNull(d.Probe(TechniqueRegistry.Create(Spec(d.Name))));
            Assert.All(d.Conflicts, other => Assert.Contains(d.Name, TechniqueRegistry.Find(other)!.Conflicts));
            Assert.Contains(Suites, s => d.AppliesTo(TestSuites.Resolve(s).Facts));
        }
    }

    [Fact]
    public void Registry_HasTechniquesInEveryFamily()
    {
        Assert.All(Enum.GetValues<TechniqueCategory>(), c => Assert.Contains(TechniqueRegistry.All, d => d.Category == c));
    }

    /// <summary>A learning rate each optimizer trains digits with (the adaptive ones want smaller rates, LARS a larger one).</summary>
    internal static string LearningRateFor(string optimizer) => optimizer switch
    {
        "adam" or "adamw" => "0.002",
        "lamb" => "0.01",
        "lars" => "2",
        _ => "0.01",
    };

    private static TechniqueSpec Spec(string name) => new(name, TechniqueRegistry.Find(name)!.ContractOptions);

    /// <summary>The learning curve without its timing: what must be bit-identical between two runs of the same configuration.</summary>
    private static string[] Curve(TrainingOutcome outcome) =>
        [.. outcome.Curve.Select(p => $"{p.Step} {p.Samples} {p.Metric:R} {p.EvalLoss:R} {p.TrainLoss:R}")];

    /// <summary>
    /// Builds the techniques from <paramref name="specs"/> in the listed order through the registry (as the runner does),
    /// runs them with every technique's probe watching, checks that no tensor leaked, and returns each probe's verdict.
    /// </summary>
    private (TrainingOutcome Outcome, IReadOnlyDictionary<string, string?> Verdicts) RunWithProbes(string suite, IReadOnlyList<TechniqueSpec> specs, int steps, TrainingConfiguration? configuration = null)
    {
        TechniqueRegistry.Validate(specs, suites.Get(suite).Suite.Facts, suite);
        IReadOnlyList<ITechnique> techniques = TechniqueRegistry.CreateAll(specs);
        var probes = techniques.ToDictionary(t => t.Name, t => TechniqueRegistry.Find(t.Name)!.Probe(t), StringComparer.Ordinal);
        TrainingRequest request = suites.Request(suite, CoreBudget.Steps(steps), techniques, configuration: configuration, observers: [.. probes.Values]);

        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        TrainingOutcome outcome = BudgetedTrainer.Run(request, null, CancellationToken.None);
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Assert.True(before == after, $"{string.Join(", ", specs)} on {suite}: {after - before} tensor(s) leaked");
        return (outcome, probes.ToDictionary(p => p.Key, p => p.Value.Verdict(outcome), StringComparer.Ordinal));
    }
}
