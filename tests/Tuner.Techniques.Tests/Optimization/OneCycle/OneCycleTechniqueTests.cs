using Tuner.Core.Configuration;
using Tuner.Techniques.Optimization.OneCycle;
using CoreBudget = Tuner.Core.Budgets.Budget;

namespace Tuner.Techniques.Tests.Optimization.OneCycle;

public sealed class OneCycleTechniqueTests(DigitsFixture digits) : IClassFixture<DigitsFixture>
{
    [Fact]
    public void Apply_StepBudget_PeaksAtPctStartAndEndsAtTheFloor()
    {
        var options = new OneCycleOptions { MaxFactor = 5, PctStart = 0.25, MinFactor = 0 };

        Dictionary<long, double> rate = ScheduleProbe.RateAtEachStep(digits.Request(CoreBudget.Steps(40), techniques: new OneCycleTechnique(options)));

        Assert.Equal(40, rate.Count);
        Assert.Equal(digits.BaseLearningRate, rate[0], 12);
        Assert.Equal(digits.BaseLearningRate * 3, rate[5], 12); // halfway up: 1 + 4 * 0.5
        Assert.Equal(digits.BaseLearningRate * 5, rate[10], 12); // the peak
        Assert.Equal(digits.BaseLearningRate * 2.5, rate[25], 12); // halfway down the cosine
        Assert.Equal(rate.Values.Max(), rate[10]);
        Assert.All(rate, kv => Assert.Equal(OneCycleMath.LearningRate(digits.BaseLearningRate, kv.Key / 40.0, options), kv.Value, 12));
    }

    [Fact]
    public void Registry_Options_AreReadIntoTheRecord()
    {
        var defaults = Assert.IsType<OneCycleTechnique>(TechniqueRegistry.Create(TechniqueSpec.Of("one_cycle")));
        var given = Assert.IsType<OneCycleTechnique>(TechniqueRegistry.Create(TechniqueRegistry.Parse("one_cycle:max_lr_factor=4,pct_start=0.5,min_factor=0.2,linear=1")));

        Assert.Equal(new OneCycleOptions { MaxFactor = 10, PctStart = 0.3, MinFactor = 0, LinearAnneal = false }, defaults.Options);
        Assert.Equal(new OneCycleOptions { MaxFactor = 4, PctStart = 0.5, MinFactor = 0.2, LinearAnneal = true }, given.Options);
    }
}
