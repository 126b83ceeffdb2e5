using System.Text.Json;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Results;

namespace Tuner.Core.Tests.Configuration;

public sealed class OptimizerCatalogTests
{
    [Fact]
    public void Apply_OptimizerWithOptions_KeepsNameAndOptionsAndPrintsThemBack()
    {
        TrainingConfiguration result = ConfigurationOverrides.Apply(new TrainingConfiguration(), ["optimizer=LAMB:beta2=0.99, eps=1e-7"]);

        Assert.Equal("lamb", result.Optimizer);
        Assert.Equal(new Dictionary<string, string> { ["beta2"] = "0.99", ["eps"] = "1e-7" }, result.OptimizerOptions);
        Assert.Equal("optimizer=lamb:beta2=0.99,eps=1e-7", result.ToSetArguments().First());
        Assert.Equal(result, ConfigurationOverrides.Apply(new TrainingConfiguration(), [result.ToSetArguments().First()]));
    }

    [Fact]
    public void Apply_AnotherOptimizerWithoutOptions_DropsThePreviousOnesOptions()
    {
        TrainingConfiguration lars = ConfigurationOverrides.Apply(new TrainingConfiguration(), ["optimizer=lars:trust=0.02"]);

        TrainingConfiguration sgd = ConfigurationOverrides.Apply(lars, ["optimizer=sgd"]);

        Assert.Empty(sgd.OptimizerOptions);
        Assert.NotEqual(lars, ConfigurationOverrides.Apply(new TrainingConfiguration(), ["optimizer=lars"]));
    }

    [Theory]
    [InlineData("optimizer=adam:beta1=1", "optimizer adam: option beta1='1' is invalid: expected a number in [0, 0.9999]")]
    [InlineData("optimizer=adam:lr_scale=0.02", "optimizer adam: unknown option 'lr_scale': valid options are beta1, beta2, eps")]
    [InlineData("optimizer=sgd:nesterov=1", "optimizer sgd: unknown option 'nesterov': it takes no options")]
    [InlineData("optimizer=adam:beta1", "optimizer adam: malformed option 'beta1'")]
    public void Apply_BadOptimizerOption_IsOneLineNamingOptimizerAndOption(string assignment, string expected)
    {
        var ex = Assert.Throws<TunerInputException>(() => ConfigurationOverrides.Apply(new TrainingConfiguration(), [assignment]));

        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void Json_ConfigurationWithOptimizerOptions_RoundTrips_AndOldRecordsWithoutThemReadAsDefaults()
    {
        TrainingConfiguration original = ConfigurationOverrides.Apply(new TrainingConfiguration(), ["optimizer=lars:trust=0.02"]);

        string json = JsonSerializer.Serialize(original, TrialRecordJson.Options);
        TrainingConfiguration back = JsonSerializer.Deserialize<TrainingConfiguration>(json, TrialRecordJson.Options)!;
        TrainingConfiguration old = JsonSerializer.Deserialize<TrainingConfiguration>("""{"optimizer":"sgd","learning_rate":0.1}""", TrialRecordJson.Options)!;

        Assert.Contains("\"optimizer_options\":{\"trust\":\"0.02\"}", json, StringComparison.Ordinal);
        Assert.Equal(original, back);
        Assert.Empty(old.OptimizerOptions);
    }

    [Fact]
    public void All_Optimizers_HaveAPaperAndDescribeTheirOptions()
    {
        Assert.Equal(["sgd", "nesterov", "adam", "adamw", "lamb", "lars"], OptimizerCatalog.Names);
        Assert.All(OptimizerCatalog.All, o => Assert.False(string.IsNullOrWhiteSpace(o.Paper)));
        Assert.All(OptimizerCatalog.All.SelectMany(o => o.Options), option => Assert.Contains("default", option.Describe(), StringComparison.Ordinal));
    }
}
