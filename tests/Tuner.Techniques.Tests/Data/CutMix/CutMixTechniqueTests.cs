using Tuner.Core.Trials;
using Tuner.Techniques.Data.CutMix;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Data.CutMix;

public sealed class CutMixTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    private sealed class Batch
    {
        public float[] Original { get; set; } = [];

        public float[] Mixed { get; set; } = [];

        public long[] Permutation { get; set; } = [];

        public long[] Labels { get; set; } = [];

        public CutMixBox Box { get; set; }

        public double Lambda { get; set; }

        public double Loss { get; set; }

        public double ExpectedLoss { get; set; }

        public bool InLossChain { get; set; }
    }

    [Fact]
    public void Apply_AfterDataLoader_PastesThePartnersBoxAndMixesTheLossByTheBoxArea()
    {
        var cutmix = new CutMixTechnique(new CutMixOptions());
        var batches = new List<Batch>();
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
                    batch.Permutation = DataTestSupport.Longs(cutmix.Permutation!);
                    batch.Box = cutmix.Box;
                    batch.Lambda = cutmix.Lambda;
                    batch.Labels = DataTestSupport.Longs(s.Targets!);
                    return;
                }

                float[] logits = DataTestSupport.Floats(s.Outputs!);
                double own = DataTestSupport.CrossEntropyByHand(logits, batch.Labels, 10).Average();
                double partner = DataTestSupport.CrossEntropyByHand(logits, [.. batch.Permutation.Select(p => batch.Labels[p])], 10).Average();
                batch.ExpectedLoss = (batch.Lambda * own) + ((1 - batch.Lambda) * partner);
                batch.Loss = s.Loss!.item<float>();
                batch.InLossChain = s.LossChain.SequenceEqual(["cutmix"]);
            });

        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request("fashion-cnn", CoreBudget.Steps(3), [before, cutmix, after]), null, CancellationToken.None);

        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(3, batches.Count);
        foreach (Batch b in batches)
        {
            const int Side = 28, Pixels = Side * Side;
            int images = b.Permutation.Length;
            Assert.Equal(128, images);
            Assert.Equal(Enumerable.Range(0, images).Select(i => (long)i), b.Permutation.Order());
            Assert.Equal(1 - (b.Box.Area / (double)Pixels), b.Lambda, 12);
            for (int image = 0; image < images; image++)
            {
                for (int pixel = 0; pixel < Pixels; pixel++)
                {
                    int row = pixel / Side, column = pixel % Side;
                    bool inBox = row >= b.Box.Top && row < b.Box.Top + b.Box.Height && column >= b.Box.Left && column < b.Box.Left + b.Box.Width;
                    long source = inBox ? b.Permutation[image] : image;
                    Assert.Equal(b.Original[(source * Pixels) + pixel], b.Mixed[(image * Pixels) + pixel]);
                }
            }

            Assert.Equal(b.ExpectedLoss, b.Loss, 4);
            Assert.True(b.InLossChain, "cutmix must be the loss chain");
        }

        Assert.Contains(batches, b => b.Box.Area > 0);
    }

    [Fact]
    public void Registry_OnInputsThatAreNotImages_IsNotApplicableBeforeTraining()
    {
        string? reason = TechniqueRegistry.NotApplicable("cutmix", Tuner.Core.Workloads.WorkloadFacts.None, "my-table");

        Assert.Equal("technique cutmix does not apply to suite my-table: it needs image inputs [channels, height, width]; `tuner list techniques --suite my-table` lists the ones that do", reason);
    }

}
