using Tuner.Core.Trials;
using Tuner.Techniques.Data.Augment;
using Tuner.Training.Engine;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Data.Augment;

public sealed class AugmentTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    private const int Shift = 2;

    /// <summary>How an augmented image was made from its original: the translations (and flips) that reproduce it.</summary>
    private sealed record Match(bool Unflipped, bool Flipped, bool Identity);

    /// <summary>The image [C, H, W] moved by (dy, dx), optionally mirrored first, computed in managed code.</summary>
    private static float[] ByHand(float[] image, int channels, int height, int width, int dy, int dx, bool flip, float fill)
    {
        var result = new float[image.Length];
        for (int c = 0; c < channels; c++)
        {
            for (int h = 0; h < height; h++)
            {
                for (int w = 0; w < width; w++)
                {
                    int sourceRow = h - dy, sourceColumn = w - dx;
                    bool inside = sourceRow >= 0 && sourceRow < height && sourceColumn >= 0 && sourceColumn < width;
                    int column = flip ? width - 1 - sourceColumn : sourceColumn;
                    result[(((c * height) + h) * width) + w] = inside ? image[(((c * height) + sourceRow) * width) + column] : fill;
                }
            }
        }

        return result;
    }

    private List<Match> Run(string suite, int steps, out float fill)
    {
        var matches = new List<Match>();
        float[] original = [];
        float padding = 0;
        var technique = new AugmentTechnique(new AugmentOptions { Shift = Shift });
        var before = new ProbeTechnique("before", TrainingEvent.AfterDataLoader, (_, s) => original = DataTestSupport.Floats(s.Inputs!));
        var after = new ProbeTechnique("after", TrainingEvent.BeforeForward, (_, s) =>
        {
            padding = s.Train.Shift;
            long[] shape = s.Inputs!.shape;
            int channels = (int)shape[1], height = (int)shape[2], width = (int)shape[3], size = channels * height * width;
            float[] augmented = DataTestSupport.Floats(s.Inputs!);
            for (int i = 0; i < shape[0]; i++)
            {
                float[] image = original[(i * size)..((i + 1) * size)];
                float[] seen = augmented[(i * size)..((i + 1) * size)];
                bool Reproduces(int dy, int dx, bool flip) => ByHand(image, channels, height, width, dy, dx, flip, padding).SequenceEqual(seen);
                IEnumerable<(int Dy, int Dx)> shifts = from dy in Enumerable.Range(-Shift, (2 * Shift) + 1) from dx in Enumerable.Range(-Shift, (2 * Shift) + 1) select (dy, dx);
                matches.Add(new Match(shifts.Any(d => Reproduces(d.Dy, d.Dx, false)), shifts.Any(d => Reproduces(d.Dy, d.Dx, true)), Reproduces(0, 0, false)));
            }
        });

        TrainingOutcome outcome = BudgetedTrainer.Run(suites.Request(suite, CoreBudget.Steps(steps), [before, technique, after]), null, CancellationToken.None);
        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        fill = padding;
        return matches;
    }

    [Fact]
    public void Apply_SuiteWithoutFlips_EveryImageIsItsOriginalTranslatedAndNeverMirrored()
    {
        List<Match> matches = Run("digits-mlp", 3, out _);

        Assert.Equal(96, matches.Count);
        Assert.All(matches, m => Assert.True(m.Unflipped, "every image must be its original moved by at most shift pixels, unmirrored"));
        Assert.Contains(matches, m => !m.Identity); // images do move
    }

    [Fact]
    public void Apply_SuiteWithFlips_MirrorsSomeImagesAndTranslatesAllWithBlackPadding()
    {
        List<Match> matches = Run("fashion-cnn", 1, out float fill);

        Assert.Equal(128, matches.Count);
        Assert.All(matches, m => Assert.True(m.Unflipped || m.Flipped, "every image must be its original, perhaps mirrored, moved by at most shift pixels"));
        Assert.Contains(matches, m => m.Flipped && !m.Unflipped); // some only a mirror explains
        Assert.Contains(matches, m => m.Unflipped && !m.Flipped);
        Assert.True(fill < -0.5f, $"padding {fill} should be the model input of a black pixel, below the mean");
    }

    [Fact]
    public void Registry_OnInputsThatAreNotImages_IsNotApplicableBeforeTraining()
    {
        Assert.Contains("needs image inputs", TechniqueRegistry.NotApplicable("augment", Tuner.Core.Workloads.WorkloadFacts.None, "my-table"), StringComparison.Ordinal);
        Assert.Null(TechniqueRegistry.NotApplicable("augment", TestSuites.Resolve("digits-mlp").Facts, "digits-mlp")); // 8x8 images, no flips
    }

}
