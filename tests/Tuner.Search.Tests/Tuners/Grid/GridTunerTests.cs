using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Search.Space;
using Tuner.Search.Tuners;
using Tuner.Search.Tuners.Grid;

namespace Tuner.Search.Tests.Tuners.Grid;

public sealed class GridTunerTests
{
    // 3 lr values × 4 batch sizes × a on/off × (b, d) in {none, b, d} × c off or 3 strengths × e on/off.
    private const int FeasibleGridSize = 3 * 4 * 2 * 3 * 4 * 2;

    [Fact]
    public void Propose_UntilExhausted_EnumeratesExactlyTheFeasibleGridThenNull()
    {
        var tuner = new GridTuner();
        List<TrialResult> results = SyntheticStudy.Run(tuner, 1, 5000);
        Assert.Equal(FeasibleGridSize, results.Count);
        Assert.Equal(SyntheticStudy.Space.Grid(3).Select(c => c.Key), results.Select(r => r.Proposal.Candidate.Key));
        TunerChecks.NoConflictingPair(results);
        TunerChecks.NoRepeats(results);
        Assert.Null(tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, results.Count)));
        Assert.Equal(3, results.Select(r => r.Proposal.Candidate.Configuration.LearningRate).Distinct().Count());
        Assert.All(results, r => Assert.True(SyntheticStudy.Space.IsFeasible(r.Proposal.Candidate.Unit)));
    }

    [Fact]
    public void Propose_TwoPointsPerRange_HasSmallerGrid()
    {
        List<TrialResult> results = SyntheticStudy.Run(new GridTuner(pointsPerRange: 2), 1, 5000);
        Assert.Equal(2 * 4 * 2 * 3 * 3 * 2, results.Count);
    }

    [Fact]
    public void Propose_GridOverCap_ThrowsOneLineInputError()
    {
        var tuner = new GridTuner(cap: 100);
        var error = Assert.Throws<TunerInputException>(() => tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, 0)));
        OneLineAssert.Message(error, "the grid has more than 100 configurations", "narrow the space file or raise --grid-cap");
    }

    [Fact]
    public void Propose_GridAtCap_IsAccepted()
    {
        var tuner = new GridTuner(cap: FeasibleGridSize);
        Assert.NotNull(tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, 0)));
    }

    [Fact]
    public void Propose_SameSeedAndHistory_GivesIdenticalProposals() =>
        TunerChecks.SameSeedGivesSameProposals(() => new GridTuner(), seed: 3, trials: 30, workers: 2);

    [Fact]
    public void Propose_AfterReplayingHistory_EqualsTunerThatLivedThroughIt() =>
        TunerChecks.ReplayedTunerProposesLikeTheOriginal(() => new GridTuner(), seed: 3, trials: 20);

    [Fact]
    public void Propose_AfterFailedTrial_DoesNotRepeatConfiguration()
    {
        TunerChecks.FailedConfigurationIsNeverRepeated(new GridTuner(), TunerChecks.TinyWith(a: false, b: true));

        var tuner = new GridTuner();
        List<Candidate> grid = [.. SyntheticStudy.Space.Grid(3).Take(2)];
        tuner.Update(SyntheticStudy.Result(0, grid[0], TrialStatus.Diverged));
        Proposal? next = tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, 1));
        Assert.Equal(grid[1].Key, next?.Candidate.Key);
    }

    [Fact]
    public void Propose_PendingOrOutsideResults_AreSkipped()
    {
        var tuner = new GridTuner();
        List<Candidate> grid = [.. SyntheticStudy.Space.Grid(3).Take(3)];
        tuner.Update(SyntheticStudy.Result(5, grid[1], TrialStatus.Reached));
        Proposal? next = tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, 6, [new Proposal(grid[0])]));
        Assert.Equal(grid[2].Key, next?.Candidate.Key);
    }

    [Fact]
    public void Propose_LowFidelityResult_DoesNotCountAsTried()
    {
        var tuner = new GridTuner();
        Candidate first = SyntheticStudy.Space.Grid(3).First();
        tuner.Update(SyntheticStudy.Result(0, new Proposal(first, 0.25), TrialStatus.Pruned));
        Assert.Equal(first.Key, tuner.Propose(ProposalContext.For(SyntheticStudy.Space, 1, 1))?.Candidate.Key);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(3, 0)]
    public void Constructor_InvalidArguments_Throw(int points, int cap) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new GridTuner(points, cap));
}
