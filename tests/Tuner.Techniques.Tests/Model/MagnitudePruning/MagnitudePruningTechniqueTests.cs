using Tuner.Techniques.Model;
using Tuner.Techniques.Model.MagnitudePruning;
using Tuner.Training.Engine;
using static Tuner.Techniques.Tests.Model.ModelTestSupport;

namespace Tuner.Techniques.Tests.Model.MagnitudePruning;

public sealed class MagnitudePruningTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    private const int Steps = 10;

    private static float[][] Weights(TrainingState s) => [.. ModelLayers.Parametric(s.Model).Select(l => Floats(ModelLayers.Weight(l)))];

    [Fact]
    public void Apply_GradualSchedule_EachWeightHasTheScheduledNumberOfZerosAfterEveryStep()
    {
        var options = new MagnitudePruningOptions { Sparsity = 0.5, Start = 0, End = 1, Every = 1 };
        var seen = new List<(double Fraction, float[][] Weights)>();
        // At BatchEnd, after the step wrappers (pruning acts right after the optimizer step).
        var probe = new ProbeTechnique("probe", TrainingEvent.BatchEnd, (_, s) => seen.Add((s.BudgetFraction, Weights(s))));

        Run(suites, "digits-mlp", Steps, probe, new MagnitudePruningTechnique(options));

        Assert.Equal(Steps, seen.Count);
        foreach ((double fraction, float[][] weights) in seen)
        {
            double sparsity = MagnitudePruningMath.Sparsity(fraction, 0.5, 0, 1);
            Assert.All(weights, w => Assert.Equal(MagnitudePruningMath.PrunedCount(w.Length, sparsity), w.Count(v => v == 0)));
        }

        Assert.Equal(1.0, seen[^1].Fraction);
        Assert.All(seen[^1].Weights, w => Assert.Equal((long)Math.Round(0.5 * w.Length), w.Count(v => v == 0))); // 64x64 and 10x64
        Assert.True(seen[0].Weights[0].Count(v => v == 0) < seen[4].Weights[0].Count(v => v == 0));
    }

    [Fact]
    public void Apply_PruningEvent_ZeroesTheSmallestMagnitudeWeightsAndKeepsThemZero()
    {
        var options = new MagnitudePruningOptions { Sparsity = 0.75, Start = 0.5, End = 0.5, Every = 1 };
        var unpruned = new List<float[][]>();
        var pruned = new List<float[][]>();
        ITechnique[] techniques =
        [
            new ProbeTechnique("unpruned", TrainingEvent.AfterOptimizerStep, (_, s) => unpruned.Add(Weights(s))), // listed first: acts before it
            new MagnitudePruningTechnique(options),
            new ProbeTechnique("pruned", TrainingEvent.BatchEnd, (_, s) => pruned.Add(Weights(s))), // after every step wrapper
        ];

        Run(suites, "digits-mlp", Steps, techniques);

        int prunedAt = Steps / 2 - 1; // the step whose BatchEnd sees budget fraction 0.5
        Assert.All(pruned.Take(prunedAt), ws => Assert.All(ws, w => Assert.DoesNotContain(0f, w)));
        for (int layer = 0; layer < 2; layer++)
        {
            float[] before = unpruned[prunedAt][layer];
            float[] after = pruned[prunedAt][layer];
            long k = MagnitudePruningMath.PrunedCount(before.Length, 0.75);
            int[] smallest = [.. Enumerable.Range(0, before.Length).OrderBy(i => Math.Abs(before[i])).Take((int)k).Order()];
            int[] zeros = [.. Enumerable.Range(0, after.Length).Where(i => after[i] == 0)];
            Assert.Equal(smallest, zeros);
            Assert.All(Enumerable.Range(0, after.Length).Except(zeros), i => Assert.Equal(before[i], after[i]));
            for (int step = prunedAt + 1; step < Steps; step++)
            {
                Assert.Equal(zeros, Enumerable.Range(0, after.Length).Where(i => pruned[step][layer][i] == 0));
            }
        }
    }

    [Fact]
    public void Options_EndBeforeStart_IsAnInputError()
    {
        var error = Assert.Throws<Tuner.Core.Errors.TunerInputException>(() => new MagnitudePruningTechnique(new MagnitudePruningOptions { Start = 0.6, End = 0.2 }));
        Assert.Contains("end", error.Message, StringComparison.Ordinal);
    }
}
