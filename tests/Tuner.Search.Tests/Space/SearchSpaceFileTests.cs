using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Search.Space;

namespace Tuner.Search.Tests.Space;

public sealed class SearchSpaceFileTests
{
    private static readonly TrainingConfiguration Baseline = new() { LearningRate = 0.05, BatchSize = 128 };

    private static SearchSpace Parse(string json) => SearchSpaceFile.Parse(json, "space.json", Baseline, new FixedCatalog());

    [Fact]
    public void Parse_FullExample_BuildsTheSpaceWithConflictsFromTheCatalog()
    {
        SearchSpace space = Parse("""
            {
              "parameters": { "lr": { "low": 0.01, "high": 0.3, "log": true }, "batch_size": [64, 128], "optimizer": ["sgd", "adam"] },
              "techniques": {
                "ema": { "options": { "decay": [0.99, 0.999] } },
                "mixup": { "options": { "alpha": { "low": 0.1, "high": 0.4 } } },
                "cutmix": {},
                "warmup": { "always": true, "fixed": { "steps": 50 } }
              },
              "max_techniques": 3
            }
            """);

        Assert.Equal(3, space.Parameters.Count);
        Assert.Equal(3 + 2 + 2 + 1, space.Dimensions); // warmup is always on: no toggle
        Assert.True(space.Conflicts("mixup", "cutmix"));
        Assert.Equal(3, space.MaxTechniques);
        Assert.Contains(space.Sample(new Random(1)).Configuration.Techniques, t => t.Name == "warmup" && t.Options["steps"] == "50");
    }

    [Fact]
    public void ToJson_RoundTrips()
    {
        SearchSpace space = Parse("""{ "parameters": { "lr": { "low": 0.01, "high": 0.3, "log": true } }, "techniques": { "ema": { "options": { "decay": [0.99] } } } }""");

        string json = SearchSpaceFile.ToJson(space);

        Assert.Equal(json, SearchSpaceFile.ToJson(Parse(json)));
    }

    [Theory]
    [InlineData("""{ "techniques": { "turbo": {} } }""", "unknown technique 'turbo'")]
    [InlineData("""{ "parameters": { "batch_size": [] } }""", "empty choice")]
    [InlineData("""{ "parameters": { "lr": { "low": 0.5, "high": 0.1 } } }""", "inverted range")]
    [InlineData("""{ "parameters": { "lr": { "low": 0, "high": 0.1, "log": true } } }""", "log scale")]
    [InlineData("""{ "parameters": { "eval_samples": [10, 100] } }""", "unknown parameter 'eval_samples'")]
    [InlineData("""{ "parameters": { "lr": [0.1, -1] } }""", "parameter 'lr'")]
    [InlineData("""{ "techniques": { "ema": { "options": { "decay": { "low": 0.9, "high": 1.5 } } } } }""", "out of range")]
    [InlineData("""{ "techniques": { "mixup": { "always": true }, "cutmix": { "always": true } } }""", "conflict")]
    [InlineData("""{ "parameters": { "lr": [0.1, 0.1] } }""", "twice")]
    [InlineData("""{ "parameters": { "lr": [0.1] }, "extra": 1 }""", "unknown key 'extra'")]
    [InlineData("""{ }""", "empty")]
    [InlineData("""{ "parameters": { "lr": [0.1] """, "not valid JSON")]
    public void Parse_BadSpace_ThrowsOneLineErrorNamingTheFileAndProblem(string json, string expected)
    {
        var ex = Assert.Throws<TunerInputException>(() => Parse(json));

        Assert.StartsWith("space file space.json", ex.Message, StringComparison.Ordinal);
        OneLineAssert.Message(ex, expected);
    }
}
