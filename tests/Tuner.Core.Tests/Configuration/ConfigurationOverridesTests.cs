using Tuner.Core.Configuration;
using Tuner.Core.Errors;

namespace Tuner.Core.Tests.Configuration;

public sealed class ConfigurationOverridesTests
{
    private static readonly TrainingConfiguration Defaults = new();

    [Fact]
    public void Apply_EveryKey_SetsItsField()
    {
        TrainingConfiguration result = ConfigurationOverrides.Apply(
            Defaults,
            ["optimizer=adamw", "lr=0.05", "batch_size=64", "momentum=0.5", "weight_decay=0.01", "eval_samples=7", "horizon=0.25"]);

        Assert.Equal("adamw", result.Optimizer);
        Assert.Equal(0.05, result.LearningRate);
        Assert.Equal(64, result.BatchSize);
        Assert.Equal(0.5, result.Momentum);
        Assert.Equal(0.01, result.WeightDecay);
        Assert.Equal(7, result.EvalEverySamples);
        Assert.Equal(0.25, result.HorizonFraction);
    }

    [Fact]
    public void Apply_KeyCaseHyphensAndSpaces_AreNormalised()
    {
        TrainingConfiguration result = ConfigurationOverrides.Apply(Defaults, [" Batch-Size = 16 ", "OPTIMIZER=Adam", "learning_rate=0.2"]);

        Assert.Equal(16, result.BatchSize);
        Assert.Equal("adam", result.Optimizer);
        Assert.Equal(0.2, result.LearningRate);
    }

    [Fact]
    public void Apply_LeavesTheInputUnchanged()
    {
        TrainingConfiguration result = ConfigurationOverrides.Apply(Defaults, ["lr=0.4"]);

        Assert.Equal(0.4, result.LearningRate);
        Assert.Equal(0.1, Defaults.LearningRate);
        Assert.Equal(Defaults with { LearningRate = 0.4 }, result);
    }

    [Theory]
    [InlineData("lr=0.3", "lr=0.4", "--set lr is given twice")]
    [InlineData("lr=0.3", "learning_rate=0.4", "--set learning_rate is given twice")]
    [InlineData("optimizer=adam:beta1=0.9,beta1=0.8", "lr=0.1", "optimizer adam: option beta1 is given twice")]
    public void Apply_AKeyGivenTwice_IsAnErrorNotTheLastOneWinning(string first, string second, string expected)
    {
        var ex = Assert.Throws<TunerInputException>(() => ConfigurationOverrides.Apply(Defaults, [first, second]));
        OneLineAssert.Message(ex, expected);
    }

    [Fact]
    public void Apply_NoAssignments_ReturnsAnEqualConfiguration()
    {
        Assert.Equal(Defaults, ConfigurationOverrides.Apply(Defaults, []));
    }

    [Fact]
    public void Apply_ToSetArgumentsOfAConfiguration_ReproducesIt()
    {
        var configuration = new TrainingConfiguration
        {
            Optimizer = "adam",
            LearningRate = 0.0123456789,
            BatchSize = 77,
            Momentum = 0.123,
            WeightDecay = 0.0005,
            EvalEverySamples = 33,
            HorizonSamples = 5000,
        };

        TrainingConfiguration rebuilt = ConfigurationOverrides.Apply(new TrainingConfiguration(), configuration.ToSetArguments());

        Assert.Equal(configuration, rebuilt);
    }

    [Fact]
    public void Apply_UnknownKey_ListsEveryValidKey()
    {
        var ex = Assert.Throws<TunerInputException>(() => ConfigurationOverrides.Apply(Defaults, ["lrate=0.1"]));

        OneLineAssert.Message(ex, "'lrate'");
        foreach (string key in ConfigurationOverrides.Keys.Keys)
        {
            Assert.Contains(key, ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("lr=0", "lr")]
    [InlineData("lr=-1", "lr")]
    [InlineData("lr=abc", "lr")]
    [InlineData("lr=NaN", "lr")]
    [InlineData("lr=Infinity", "lr")]
    [InlineData("lr=1000", "lr")]
    [InlineData("batch_size=0", "batch_size")]
    [InlineData("batch_size=65537", "batch_size")]
    [InlineData("batch_size=1.5", "batch_size")]
    [InlineData("momentum=1", "momentum")]
    [InlineData("momentum=-0.1", "momentum")]
    [InlineData("weight_decay=-0.1", "weight_decay")]
    [InlineData("eval_samples=0", "eval_samples")]
    [InlineData("eval_samples=ten", "eval_samples")]
    [InlineData("eval_every=10", "eval_every")]
    [InlineData("horizon=0", "horizon")]
    [InlineData("horizon=1.5", "horizon")]
    [InlineData("horizon=0samples", "horizon")]
    [InlineData("optimizer=rmsprop", "optimizer")]
    public void Apply_BadValue_ThrowsOneLineErrorNamingKeyAndValue(string assignment, string key)
    {
        string value = assignment[(assignment.IndexOf('=', StringComparison.Ordinal) + 1)..];

        var ex = Assert.Throws<TunerInputException>(() => ConfigurationOverrides.Apply(Defaults, [assignment]));

        OneLineAssert.Message(ex, $"'{value}'", key);
    }

    [Theory]
    [InlineData("lr")]
    [InlineData("=0.1")]
    [InlineData("lr=")]
    [InlineData("")]
    public void Apply_MalformedAssignment_ThrowsOneLineErrorWithExample(string assignment)
    {
        var ex = Assert.Throws<TunerInputException>(() => ConfigurationOverrides.Apply(Defaults, [assignment]));

        OneLineAssert.Message(ex, "malformed --set", "key=value");
    }

    [Fact]
    public void Apply_OptimizerError_ListsTheOptimizers()
    {
        var ex = Assert.Throws<TunerInputException>(() => ConfigurationOverrides.Apply(Defaults, ["optimizer=lion"]));

        foreach (string optimizer in OptimizerCatalog.Names)
        {
            Assert.Contains(optimizer, ex.Message, StringComparison.Ordinal);
        }
    }
}
