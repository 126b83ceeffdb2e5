using Tuner.Core.Budgets;
using Tuner.Core.Trials;
using Tuner.Runner.Search;
using Tuner.Search.Recommendations;
using Tuner.Storage;

namespace Tuner.Runner.Tests.Search;

public sealed class RecommenderTests(StudyFixture fixture) : IClassFixture<StudyFixture>
{
    [Fact]
    public async Task RecommendAsync_AfterASearch_ValidatesBaselineAndCandidatesOnFreshSeeds()
    {
        await using var storage = await StudyFixture.OpenAsync(fixture.StorePath("recommend"));
        var options = fixture.Options("recommend", trials: 5);
        await new StudyRunner(storage, fixture.Runner).RunAsync(options, null, CancellationToken.None);
        var recommender = new Recommender(storage, fixture.Runner);

        Recommendation r = await recommender.RecommendAsync(options, new RecommendOptions { Candidates = 2, MinSeeds = 3, MaxSeeds = 3 }, null, CancellationToken.None);

        Assert.Equal(CandidateChoice.BaselineLabel, r.Validated[0].Label);
        Assert.InRange(r.Validated.Count, 2, 3);
        Assert.All(r.Validated, v => Assert.Equal([1000L, 1001L, 1002L], v.Runs.Select(x => x.Seed)));
        Assert.NotNull(r.Chosen);
        Assert.True(r.Chosen.Eligible);
        Assert.Equal(5, r.SearchTrials);
        Assert.StartsWith("tuner run --suite digits-mlp --budget 5s --seed 1000 --threads 1 --set optimizer=", r.Command, StringComparison.Ordinal);
        Assert.All(r.Chosen.Configuration.Techniques, t => Assert.Contains("--technique " + t, r.Command, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RecommendAsync_RunAgain_ReusesTheValidationRunsInsteadOfRepeatingThem()
    {
        await using var storage = await StudyFixture.OpenAsync(fixture.StorePath("revalidate"));
        var options = fixture.Options("revalidate", trials: 3);
        await new StudyRunner(storage, fixture.Runner).RunAsync(options, null, CancellationToken.None);
        var recommender = new Recommender(storage, fixture.Runner);
        var validate = new RecommendOptions { Candidates = 1, MinSeeds = 3, MaxSeeds = 3 };

        Recommendation first = await recommender.RecommendAsync(options, validate, null, CancellationToken.None);
        Recommendation second = await recommender.RecommendAsync(options, validate, null, CancellationToken.None);

        Assert.Equal(first.Validated.SelectMany(v => v.Runs).Select(x => x.RunId), second.Validated.SelectMany(v => v.Runs).Select(x => x.RunId));
    }

    [Fact]
    public async Task RecommendAsync_TargetNobodyReaches_ReturnsNoChoiceAndTheBestFound()
    {
        await using var storage = await StudyFixture.OpenAsync(fixture.StorePath("unreachable"));
        var options = fixture.Options("unreachable", trials: 2, budget: Budget.Steps(20)) with { TargetValue = 0.999 };
        await new StudyRunner(storage, fixture.Runner).RunAsync(options, null, CancellationToken.None);

        Recommendation r = await new Recommender(storage, fixture.Runner).RecommendAsync(options, new RecommendOptions(), null, CancellationToken.None);

        Assert.Null(r.Chosen);
        Assert.Null(r.Command);
        Assert.NotNull(r.BestSearchTrial);
        Assert.NotEqual(TrialStatus.Reached, r.BestSearchTrial.Status);
        Assert.Contains("no configuration reached", r.Reason, StringComparison.Ordinal);
    }
}
