using Tuner.Techniques.Model;
using Tuner.Techniques.Model.Init;
using Tuner.Training.Engine;
using static TorchSharp.torch;
using static Tuner.Techniques.Tests.Model.ModelTestSupport;

namespace Tuner.Techniques.Tests.Model.Init;

public sealed class InitTechniqueTests(SuiteDataCache suites) : IClassFixture<SuiteDataCache>
{
    /// <summary>The weights and biases of each parametric layer (stem, blocks' fc1 and fc2, head) right after FitStart.</summary>
    private (float[][] Weights, float[][] Biases) Initial(string suite, params ITechnique[] techniques)
    {
        float[][] weights = [], biases = [];
        var probe = new ProbeTechnique("probe", TrainingEvent.FitStart, (_, s) =>
        {
            IReadOnlyList<nn.Module<Tensor, Tensor>> layers = ModelLayers.Parametric(s.Model);
            weights = [.. layers.Select(l => Floats(ModelLayers.Weight(l)))];
            biases = [.. layers.Select(l => Floats(ModelLayers.Bias(l)!))];
        });
        Run(suites, suite, 1, [.. techniques, probe]);
        return (weights, biases);
    }

    [Fact]
    public void Apply_ZeroLast_ZeroesExactlyTheLastLayerOfEachResidualBranch()
    {
        (float[][] w0, float[][] b0) = Initial("digits-resmlp");
        (float[][] w, float[][] b) = Initial("digits-resmlp", new InitTechnique(InitScheme.ZeroLast));

        int[] last = [2, 4, 6]; // stem 0; block k: fc1 at 2k-1, fc2 at 2k; head 7
        for (int i = 0; i < w.Length; i++)
        {
            if (last.Contains(i))
            {
                Assert.All(w[i], v => Assert.Equal(0f, v));
                Assert.All(b[i], v => Assert.Equal(0f, v));
            }
            else
            {
                Assert.Equal(w0[i], w[i]);
                Assert.Equal(b0[i], b[i]);
            }
        }
    }

    [Fact]
    public void Apply_Orthogonal_EveryWeightIsOrthogonalAndBiasesAreUnchanged()
    {
        (_, float[][] b0) = Initial("fashion-cnn");
        var errors = new List<double>();
        var probe = new ProbeTechnique("probe", TrainingEvent.FitStart, (_, s) =>
            errors.AddRange(ModelLayers.Parametric(s.Model).Select(l => InitMath.OrthogonalityError(ModelLayers.Weight(l), 1.0))));
        (_, float[][] b) = Initial("fashion-cnn", new InitTechnique(InitScheme.Orthogonal), probe);

        Assert.Equal(4, errors.Count); // conv1, conv2, fc1, head
        Assert.All(errors, e => Assert.True(e < 1e-4, $"W W^T - I off by {e}"));
        Assert.Equal(b0, b);
    }

    [Fact]
    public void Apply_Fixup_ScalesBranchInputsByInverseSqrtLAndZeroesBranchOutputsAndTheHead()
    {
        (float[][] w0, float[][] b0) = Initial("digits-resmlp");
        (float[][] w, float[][] b) = Initial("digits-resmlp", new InitTechnique(InitScheme.Fixup));

        double scale = 1 / Math.Sqrt(3); // 3 residual branches of 2 layers
        Assert.Equal(w0[0], w[0]); // stem
        Assert.Equal(b0[0], b[0]);
        foreach (int first in new[] { 1, 3, 5 })
        {
            Assert.All(w0[first].Zip(w[first]), p => Assert.True(Math.Abs((p.First * scale) - p.Second) <= 1e-6 * Math.Abs(p.First), $"{p.First} * {scale} vs {p.Second}"));
            Assert.Equal(b0[first], b[first]);
        }

        foreach (int zeroed in new[] { 2, 4, 6, 7 })
        {
            Assert.All(w[zeroed], v => Assert.Equal(0f, v));
            Assert.All(b[zeroed], v => Assert.Equal(0f, v));
        }
    }

    [Fact]
    public void Apply_ZeroLast_TrainingMovesTheZeroedLayers()
    {
        var end = new List<float[][]>();
        var probe = new ProbeTechnique("end", TrainingEvent.FitEnd, (_, s) => end.Add([.. ModelLayers.ResidualBlocks(s.Model).Select(bl => Floats(bl.Second.weight))]));

        Run(suites, "digits-resmlp", 5, new InitTechnique(InitScheme.ZeroLast), probe);

        Assert.All(end[0], w => Assert.Contains(w, v => v != 0));
    }

    [Theory]
    [InlineData(InitScheme.ZeroLast)]
    [InlineData(InitScheme.Fixup)]
    public void Apply_ResidualSchemeOnAModelWithoutBlocks_FailsAtFitStartSayingWhy(InitScheme scheme)
    {
        string reason = RunExpectingFailure(suites, "digits-mlp", new InitTechnique(scheme));

        Assert.Contains("InvalidOperationException", reason, StringComparison.Ordinal);
        Assert.Contains("no residual blocks", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_EachScheme_HasItsOwnTechniqueName()
    {
        Assert.Equal(
            [InitTechnique.ZeroLastName, InitTechnique.OrthogonalName, InitTechnique.FixupName],
            Enum.GetValues<InitScheme>().Select(s => new InitTechnique(s).Name));
    }
}
