using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Tests.Data;

/// <summary>The data techniques' declared conflicts (their combinations are in <see cref="TechniqueContractTests"/>).</summary>
public sealed class DataCombinationTests
{
    [Theory]
    [InlineData("mixup", "cutmix")]
    [InlineData("cutmix", "mixup")]
    [InlineData("importance_sampling", "data_pruning")]
    [InlineData("curriculum", "importance_sampling")]
    [InlineData("data_pruning", "curriculum")]
    public void Validate_TechniquesThatReplaceTheSameThing_ConflictInEitherOrder(string first, string second)
    {
        var ex = Assert.Throws<TunerInputException>(() => TechniqueRegistry.Validate([TechniqueSpec.Of(first), TechniqueSpec.Of(second)]));

        OneLineAssert.Message(ex, "conflict");
        Assert.Contains(first, ex.Message, StringComparison.Ordinal);
        Assert.Contains(second, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_SelectiveBackpropWithMixup_IsAllowed_BecauseItSelectsRowsBeforeMixupMixesThem()
    {
        TechniqueRegistry.Validate([TechniqueSpec.Of("mixup"), TechniqueSpec.Of("selective_backprop")]);
        Assert.True(TechniqueRegistry.Find("selective_backprop")!.Order < TechniqueRegistry.Find("mixup")!.Order);
    }

    [Fact]
    public void All_DataTechniques_DeclareEveryConflictInBothDirections()
    {
        foreach (TechniqueDescriptor d in TechniqueRegistry.All.Where(d => d.Category == TechniqueCategory.Data))
        {
            foreach (string other in d.Conflicts)
            {
                Assert.Contains(d.Name, TechniqueRegistry.Find(other)!.Conflicts);
            }
        }
    }
}
