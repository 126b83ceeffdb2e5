using Tuner.Search.Tuners;
using Tuner.Search.Simulation;
using Tuner.Search.Space;
using Tuner.Search.Tuners.Grid;
using Tuner.Search.Tuners.MultiFidelity;

namespace Tuner.Search.Tests.Simulation;

public sealed class SearchReplayTests
{
    private static readonly TruthTable Truth = SyntheticTruth.Table();

    [Fact]
    public void Run_GridTuner_FindsTheBestAtItsPositionInGridOrder()
    {
        List<Candidate> grid = [.. SyntheticTruth.Space.Grid()];
        int position = grid.FindIndex(c => c.Key == Truth.Best!.Configuration.ToString());
        Assert.Equal(6, position);

        foreach (ReplaySettings settings in new[] { new ReplaySettings(), new ReplaySettings().WithoutCapOrPruning() })
        {
            ReplayOutcome outcome = SearchReplay.Run(new GridTuner(), SyntheticTruth.Space, Truth, 0, settings);

            Assert.True(outcome.Found);
            Assert.Equal(position + 1, outcome.TrialsToFind);
            Assert.Equal(grid.Take(position + 1).Select(c => c.Key), outcome.Trials.Select(t => t.Proposal.Candidate.Key));
        }
    }

    [Fact]
    public void Run_CapAndPruningOff_ComputeToFindIsTheSumOfTheFullRunsUpToTheBest()
    {
        double expected = SyntheticTruth.Space.Grid().Take(7).Sum(c => Truth.Lookup(c).TrainSeconds);

        ReplayOutcome outcome = SearchReplay.Run(new GridTuner(), SyntheticTruth.Space, Truth, 0, new ReplaySettings().WithoutCapOrPruning());

        Assert.Equal(16.01 + 20.05 + 12.01 + 18.01 + 10.01 + 16.01 + 7.01, expected, 9);
        Assert.Equal(expected, outcome.ComputeToFindSeconds, 9);
        Assert.Equal(expected, outcome.TotalComputeSeconds, 9);
    }

    [Fact]
    public void Run_Defaults_ComputeToFindIsTheSumOfTheSimulatedCosts()
    {
        ReplayOutcome outcome = SearchReplay.Run(new HyperbandTuner(Truth.Objective), SyntheticTruth.Space, Truth, 1, new ReplaySettings());

        Assert.True(outcome.Found);
        Assert.Equal(outcome.Trials.Count, outcome.TrialsToFind);
        Assert.Equal(outcome.Trials.Sum(t => t.CostSeconds), outcome.ComputeToFindSeconds, 9);
    }

    [Fact]
    public void Run_MultiFidelity_FirstTrialCostsItsFidelityOfTheBudget()
    {
        ReplayOutcome outcome = SearchReplay.Run(new HyperbandTuner(Truth.Objective), SyntheticTruth.Space, Truth, 0, new ReplaySettings());

        Assert.Equal(1.0 / 9, outcome.Trials[0].Proposal.Fidelity, 12);
        Assert.Equal(SyntheticTruth.BudgetSeconds / 9, outcome.Trials[0].CostSeconds, 9);
    }

    [Fact]
    public void Run_TrialCapBeforeFinding_NotFoundWithInfiniteCompute()
    {
        ReplayOutcome outcome = SearchReplay.Run(new GridTuner(), SyntheticTruth.Space, Truth, 0, new ReplaySettings { MaxTrials = 3 });

        Assert.False(outcome.Found);
        Assert.Null(outcome.TrialsToFind);
        Assert.Equal(double.PositiveInfinity, outcome.ComputeToFindSeconds);
        Assert.Equal(3, outcome.Trials.Count);
        Assert.Equal(16.01 + 20.05 + 12.01, outcome.TotalComputeSeconds, 9);
    }

    [Fact]
    public void Run_NotStoppingWhenFound_RunsOnAndKeepsTheFirstFind()
    {
        ReplayOutcome outcome = SearchReplay.Run(new GridTuner(), SyntheticTruth.Space, Truth, 0, new ReplaySettings { StopWhenFound = false });

        Assert.Equal(12, outcome.Trials.Count);
        Assert.Equal(7, outcome.TrialsToFind);
        Assert.True(outcome.TotalComputeSeconds > outcome.ComputeToFindSeconds);
    }

    [Fact]
    public void Run_ProposalMissingFromTheTruth_ThrowsNamingTheConfiguration()
    {
        Candidate first = SyntheticTruth.Space.Grid().First();
        var partial = new TruthTable(Truth.Records.Where(r => r.Configuration.ToString() != first.Key));

        var error = Assert.Throws<KeyNotFoundException>(() => SearchReplay.Run(new GridTuner(), SyntheticTruth.Space, partial, 0, new ReplaySettings()));

        Assert.Contains(first.Key, error.Message, StringComparison.Ordinal);
        Assert.Contains("11 configurations", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("smac")]
    [InlineData("cfo")]
    [InlineData("random")]
    [InlineData("grid")]
    [InlineData("sh")]
    [InlineData("hyperband")]
    [InlineData("asha")]
    public void Run_EveryTuner_FindsTheBestOfASmallTable(string name)
    {
        for (long seed = 0; seed < 3; seed++)
        {
            ReplayOutcome outcome = SearchReplay.Run(
                TunerCatalog.Create(name, SyntheticTruth.Space, Truth.Objective, SyntheticTruth.Baseline), SyntheticTruth.Space, Truth, seed, new ReplaySettings());

            Assert.True(outcome.Found, $"{name} seed {seed}");
            Assert.Equal(outcome.Trials.Sum(t => t.CostSeconds), outcome.ComputeToFindSeconds, 9);
        }
    }
}
