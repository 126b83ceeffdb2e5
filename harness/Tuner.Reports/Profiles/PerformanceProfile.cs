using System.Globalization;
using Tuner.Core.Trials;
using Tuner.Storage;

namespace Tuner.Reports.Profiles;

/// <summary>What a profile compares: each technique (trials that use it), or each combination of techniques.</summary>
public enum ProfileSolver
{
    Technique,
    Combination,
}

/// <summary>One problem (a study, i.e. a suite with its budget and target): each solver's best time-to-target on it (+infinity: never reached).</summary>
public sealed record ProfileProblem(string Name, string Suite, IReadOnlyDictionary<string, double> Times);

/// <summary>One solver on one problem: its time, the best time of any profiled solver there, and the ratio (+infinity when it never reached the target).</summary>
public sealed record ProfileRatio(string Problem, string Solver, double Seconds, double BestSeconds, double Ratio);

/// <summary>
/// A performance profile (Dolan and Moré, 2002; AlgoPerf scores training algorithms with it): for each solver s and
/// factor tau, rho_s(tau) = the fraction of problems on which s's time-to-target is within tau times the best solver's
/// there. rho_s(1) is the share of problems s wins; rho_s at large tau the share it solves at all. Solvers are only
/// compared on problems they were all tried on: a solver missing from a problem is excluded (listed with where it is
/// missing), never counted as a failure it did not have.
/// </summary>
public sealed record PerformanceProfile(
    IReadOnlyList<ProfileProblem> Problems,
    IReadOnlyList<string> Solvers,
    IReadOnlyList<ProfileRatio> Ratios,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Excluded,
    ProfileSolver By)
{
    /// <summary>The label of trials without any technique.</summary>
    public const string NoTechnique = "(no technique)";

    /// <summary>rho_s(tau) of <paramref name="solver"/>: the share of problems with ratio at most <paramref name="tau"/>.</summary>
    public double Fraction(string solver, double tau)
    {
        ProfileRatio[] mine = [.. Ratios.Where(r => r.Solver == solver)];
        return mine.Length == 0 ? 0 : mine.Count(r => double.IsFinite(r.Ratio) && r.Ratio <= tau * (1 + 1e-12)) / (double)mine.Length;
    }

    /// <summary>The share of problems on which <paramref name="solver"/> reached the target at all (its profile's right end).</summary>
    public double Solved(string solver)
    {
        ProfileRatio[] mine = [.. Ratios.Where(r => r.Solver == solver)];
        return mine.Length == 0 ? 0 : mine.Count(r => double.IsFinite(r.Ratio)) / (double)mine.Length;
    }

    /// <summary>The taus where some solver's profile steps (every finite ratio), 1 first; the largest finite ratio last.</summary>
    public IReadOnlyList<double> Taus() =>
        [.. Ratios.Select(r => r.Ratio).Where(double.IsFinite).Append(1.0).Distinct().Order()];

    /// <summary>The share of problems a solver wins (rho at tau 1), for ordering the legend.</summary>
    public double Wins(string solver) => Fraction(solver, 1);

    /// <summary>
    /// The profile of <paramref name="studies"/> (one problem each): per solver, the fastest time-to-target among the
    /// study's finished trials that reached its target (any fidelity: a trial stopped early that reached the target
    /// measured it), +infinity when it was tried but never reached it.
    /// </summary>
    public static PerformanceProfile FromStudies(IReadOnlyList<(StudyDefinition Definition, IReadOnlyList<StoredTrial> Trials)> studies, ProfileSolver by)
    {
        ArgumentNullException.ThrowIfNull(studies);
        var problems = new List<ProfileProblem>();
        foreach ((StudyDefinition definition, IReadOnlyList<StoredTrial> trials) in studies)
        {
            var times = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (StoredTrial trial in trials.Where(t => t.State == TrialState.Finished && t.Record is not null))
            {
                TrialRecord record = trial.Record!;
                double time = record.Status == TrialStatus.Reached && record.TimeToTargetSeconds is double t ? t : double.PositiveInfinity;
                foreach (string solver in SolversOf(record, by))
                {
                    times[solver] = Math.Min(times.GetValueOrDefault(solver, double.PositiveInfinity), time);
                }
            }

            problems.Add(new ProfileProblem(definition.Name, definition.Suite, times));
        }

        return Compute(problems, by);
    }

    /// <summary>The profile of problems given directly (tests, other sources).</summary>
    public static PerformanceProfile Compute(IReadOnlyList<ProfileProblem> problems, ProfileSolver by)
    {
        ArgumentNullException.ThrowIfNull(problems);
        string[] all = [.. problems.SelectMany(p => p.Times.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        var excluded = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var solvers = new List<string>();
        foreach (string solver in all)
        {
            string[] missing = [.. problems.Where(p => !p.Times.ContainsKey(solver)).Select(p => p.Name)];
            if (missing.Length > 0)
            {
                excluded[solver] = missing;
            }
            else
            {
                solvers.Add(solver);
            }
        }

        var ratios = new List<ProfileRatio>();
        foreach (ProfileProblem problem in problems)
        {
            double best = solvers.Select(s => problem.Times[s]).DefaultIfEmpty(double.PositiveInfinity).Min();
            foreach (string solver in solvers)
            {
                double time = problem.Times[solver];
                double ratio = double.IsFinite(time) && double.IsFinite(best) && best > 0 ? time / best : double.PositiveInfinity;
                ratios.Add(new ProfileRatio(problem.Name, solver, time, best, ratio));
            }
        }

        return new PerformanceProfile(problems, solvers, ratios, excluded, by);
    }

    private static string[] SolversOf(TrialRecord record, ProfileSolver by)
    {
        string[] names = [.. record.Configuration.Techniques.Select(t => t.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        if (names.Length == 0)
        {
            return [NoTechnique];
        }

        return by == ProfileSolver.Combination ? [string.Join("+", names)] : names;
    }

    /// <summary>The ratios as CSV rows (problem, suite, solver, seconds, best, ratio) and the profile as (solver, tau, fraction); invariant culture.</summary>
    public static string Invariant(double value) => double.IsFinite(value) ? value.ToString("0.######", CultureInfo.InvariantCulture) : "inf";
}
