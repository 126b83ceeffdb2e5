using Tuner.Core.Configuration;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Tests.Model;

public sealed class ModelTechniquesTests
{
    [Fact]
    public void All_InitSchemes_ConflictWithEachOtherInBothDirections()
    {
        string[] inits = ["init_zero_last", "init_orthogonal", "init_fixup"];
        foreach (string a in inits)
        {
            foreach (string b in inits.Where(b => b != a))
            {
                Assert.Contains(b, TechniqueRegistry.Find(a)!.Conflicts);
            }
        }

        Assert.All(inits, n => Assert.Equal(TechniqueCategory.Model, TechniqueRegistry.Find(n)!.Category));
    }

    [Fact]
    public void Create_TextOptions_ReachTheTechniques()
    {
        var freezing = (Tuner.Techniques.Model.LayerFreezing.LayerFreezingTechnique)TechniqueRegistry.Create(
            new TechniqueSpec("layer_freezing", new Dictionary<string, string> { ["t0"] = "0.8", ["cubic"] = "1" }));
        var scaling = (Tuner.Techniques.Model.ModelScaling.ModelScalingTechnique)TechniqueRegistry.Create(
            new TechniqueSpec("model_scaling", new Dictionary<string, string> { ["width"] = "2", ["depth"] = "0.5" }));

        Assert.Equal(new Tuner.Techniques.Model.LayerFreezing.LayerFreezingOptions { T0 = 0.8, Cubic = true }, freezing.Options);
        Assert.Equal(new Tuner.Techniques.Model.ModelScaling.ModelScalingOptions { Width = 2, Depth = 0.5 }, scaling.Options);
        Assert.Throws<Tuner.Core.Errors.TunerInputException>(() => TechniqueRegistry.Create(
            new TechniqueSpec("magnitude_pruning", new Dictionary<string, string> { ["start"] = "0.8", ["end"] = "0.2" })));
    }
}
