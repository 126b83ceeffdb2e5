using Tuner.Reports.Profiles;

namespace Tuner.Reports.Tests.Profiles;

/// <summary>The profile's arithmetic on problems with known times (the studies behind it are tested in the CLI's browser tests).</summary>
public sealed class PerformanceProfileTests
{
    private const double Inf = double.PositiveInfinity;

    private static ProfileProblem P(string name, params (string Solver, double Seconds)[] times) =>
        new(name, name, times.ToDictionary(t => t.Solver, t => t.Seconds, StringComparer.Ordinal));

    [Fact]
    public void Compute_RatiosToTheBestAndFractionsWithinTau()
    {
        PerformanceProfile profile = PerformanceProfile.Compute(
        [
            P("a", ("x", 1), ("y", 2), ("z", Inf)),
            P("b", ("x", 3), ("y", 1), ("z", 4)),
            P("c", ("x", 2), ("y", 2), ("z", 1)),
        ], ProfileSolver.Technique);

        Assert.Equal(["x", "y", "z"], profile.Solvers);
        Assert.Equal(2.0, profile.Ratios.Single(r => r.Problem == "a" && r.Solver == "y").Ratio);
        Assert.Equal(3.0, profile.Ratios.Single(r => r.Problem == "b" && r.Solver == "x").Ratio);
        Assert.True(double.IsPositiveInfinity(profile.Ratios.Single(r => r.Problem == "a" && r.Solver == "z").Ratio));
        Assert.Equal(1 / 3.0, profile.Fraction("x", 1), 12);            // wins a
        Assert.Equal(2 / 3.0, profile.Fraction("x", 2), 12);            // a (1) and c (2)
        Assert.Equal(1.0, profile.Fraction("x", 3), 12);
        Assert.Equal(2 / 3.0, profile.Fraction("z", 1e9), 12);          // never within any tau on a: it did not reach the target
        Assert.Equal(2 / 3.0, profile.Solved("z"), 12);
        Assert.Equal(1.0, profile.Solved("y"), 12);
        Assert.Equal([1.0, 2.0, 3.0, 4.0], profile.Taus());
    }

    [Fact]
    public void Compute_SolverMissingFromAProblem_IsExcludedNotCountedAsAFailure()
    {
        PerformanceProfile profile = PerformanceProfile.Compute([P("a", ("x", 1), ("y", 2)), P("b", ("x", 2))], ProfileSolver.Combination);

        Assert.Equal(["x"], profile.Solvers);
        Assert.Equal(["b"], profile.Excluded["y"]); // where it is missing
        Assert.Equal(1.0, profile.Fraction("x", 1), 12); // the best of the profiled solvers on both problems
    }
}
