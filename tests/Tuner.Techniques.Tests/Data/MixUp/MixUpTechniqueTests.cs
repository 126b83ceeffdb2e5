using Tuner.Core.Trials;
using Tuner.Techniques.Data.MixUp;
using Tuner.Training.Engine;
using static TorchSharp.torch;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Data.MixUp;

public sealed class MixUpTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    private sealed class Batch
    {
        public float[] Original { get; set; } = [];

        public float[] Mixed { get; set; } = [];

        public long[] Permutation { get; set; } = [];

        public long[] Labels { get; set; } = [];

        public double Lambda { get; set; }

        public double Loss { get; set; }

        public double ExpectedLoss { get; set; }

        public bool InLossChain { get; set; }
    }

    private List<Batch> Run(MixUpTechnique mixup, int steps, out TrainingOutcome outcome)
    {
        var batches = new List<Batch>();
        // Listed before mixup: sees the loaded batch at AfterDataLoader; listed after: sees the mixed one at BeforeForward
        // and, at BeforeBackward, the loss computed between BeforeLoss and AfterLoss.
        var before = new ProbeTechnique("before", TrainingEvent.AfterDataLoader, (_, s) => batches.Add(new Batch { Original = DataTestSupport.Floats(s.Inputs!) }));
        var after = new ProbeTechnique(
            "after",
            (e, _) => e is TrainingEvent.BeforeForward or TrainingEvent.BeforeBackward,
            (e, s) =>
            {
                Batch batch = batches[^1];
                if (e == TrainingEvent.BeforeForward)
                {
                    batch.Mixed = DataTestSupport.Floats(s.Inputs!);
                    batch.Permutation = mixup.Permutation is null ? [] : DataTestSupport.Longs(mixup.Permutation);
                    batch.Lambda = mixup.Lambda;
                    batch.Labels = DataTestSupport.Longs(s.Targets!);
                    return;
                }

                float[] logits = DataTestSupport.Floats(s.Outputs!);
                int classes = (int)s.Outputs!.shape[1];
                double own = DataTestSupport.CrossEntropyByHand(logits, batch.Labels, classes).Average();
                double partner = batch.Permutation.Length == 0
                    ? own
                    : DataTestSupport.CrossEntropyByHand(logits, [.. batch.Permutation.Select(p => batch.Labels[p])], classes).Average();
                batch.ExpectedLoss = batch.Permutation.Length == 0 ? own : (batch.Lambda * own) + ((1 - batch.Lambda) * partner);
                batch.Loss = s.Loss!.item<float>();
                batch.InLossChain = s.LossChain.SequenceEqual(["mixup"]);
            });

        outcome = BudgetedTrainer.Run(suites.Request("digits-mlp", CoreBudget.Steps(steps), [before, mixup, after]), null, CancellationToken.None);
        return batches;
    }

    [Fact]
    public void Apply_AfterDataLoader_InputsBecomeLambdaMixOfTheBatchAndItsPermutedPartners()
    {
        var mixup = new MixUpTechnique(new MixUpOptions { Alpha = 1.0 });

        List<Batch> batches = Run(mixup, 3, out TrainingOutcome outcome);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(3, batches.Count);
        foreach (Batch batch in batches)
        {
            int rows = batch.Permutation.Length;
            Assert.Equal(32, rows);
            Assert.Equal(Enumerable.Range(0, rows).Select(i => (long)i), batch.Permutation.Order());
            Assert.InRange(batch.Lambda, 0.0, 1.0);
            int width = batch.Original.Length / rows;
            for (int i = 0; i < batch.Original.Length; i++)
            {
                int row = i / width, column = i % width;
                double expected = (batch.Lambda * batch.Original[i]) + ((1 - batch.Lambda) * batch.Original[(batch.Permutation[row] * width) + column]);
                Assert.True(Math.Abs(batch.Mixed[i] - expected) < 1e-4, $"element {i}: {batch.Mixed[i]} vs {expected}");
            }

            Assert.NotEqual(batch.Original, batch.Mixed);
        }
    }

    [Fact]
    public void Run_LossChain_LossMixesBothLabelsByLambda()
    {
        var mixup = new MixUpTechnique(new MixUpOptions { Alpha = 1.0 });

        List<Batch> batches = Run(mixup, 3, out _);

        Assert.All(batches, b =>
        {
            Assert.Equal(b.ExpectedLoss, b.Loss, 4);
            Assert.True(b.InLossChain, "mixup must be the loss chain");
        });
        Assert.Contains(batches, b => b.Lambda is > 0.05 and < 0.95); // some batch truly mixes two labels' losses
    }

    [Fact]
    public void Apply_ProbabilityZero_LeavesInputsAndLossUntouched()
    {
        var mixup = new MixUpTechnique(new MixUpOptions { Probability = 0 });

        List<Batch> batches = Run(mixup, 2, out TrainingOutcome outcome);

        Assert.All(batches, b =>
        {
            Assert.Equal(b.Original, b.Mixed);
            Assert.Empty(b.Permutation);
            Assert.Equal(b.ExpectedLoss, b.Loss, 4); // plain cross-entropy
        });
    }
}
