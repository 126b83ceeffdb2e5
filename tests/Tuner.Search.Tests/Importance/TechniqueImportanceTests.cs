using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Search.Importance;
using Tuner.Search.Objective;
using Tuner.Search.Space;
using Tuner.Search.Tuners;

namespace Tuner.Search.Tests.Importance;

public sealed class TechniqueImportanceTests
{
    private static readonly CensoredObjective Objective = new(100, 0.9);

    private static readonly SearchSpace Space = new(
        new TrainingConfiguration(),
        [new RangeParameter("lr", 0.01, 1, log: true)],
        [new TechniqueDimension("fast"), new TechniqueDimension("idle"), new TechniqueDimension("slow"), new TechniqueDimension("pair_a"), new TechniqueDimension("pair_b")]);

    /// <summary>Time-to-target: 40 s, halved by "fast", doubled by "slow", unchanged by "idle"; pair_a and pair_b do nothing alone but halve it together.</summary>
    private static List<TrialResult> Study(int trials)
    {
        var random = new Random(11);
        var results = new List<TrialResult>();
        for (int i = 0; i < trials; i++)
        {
            Candidate c = Space.Sample(random);
            IReadOnlyList<string> on = c.TechniqueNames;
            double t = 40 * (on.Contains("fast") ? 0.5 : 1) * (on.Contains("slow") ? 2 : 1) * (on.Contains("pair_a") && on.Contains("pair_b") ? 0.5 : 1);
            results.Add(new TrialResult(i, new Proposal(c), TrialStatus.Reached, t, 0.95, t, []));
        }

        return results;
    }

    [Fact]
    public void Analyse_KnownEffects_RanksHelpfulFirstAndFindsTheSynergy()
    {
        ImportanceReport report = TechniqueImportance.Analyse(Space, Study(80), Objective, seed: 1);

        Assert.Null(report.Note);
        Assert.Equal("fast", report.Effects[0].Technique);
        Assert.Equal("slow", report.Effects[^1].Technique);
        Assert.InRange(report.Effects.Single(e => e.Technique == "fast").Ratio, 0.35, 0.8);
        Assert.InRange(report.Effects.Single(e => e.Technique == "slow").Ratio, 1.3, 3.0);
        Assert.InRange(report.Effects.Single(e => e.Technique == "idle").Ratio, 0.8, 1.25);
        TechniqueInteraction strongest = report.Interactions[0];
        Assert.Equal(("pair_a", "pair_b"), (strongest.A, strongest.B));
        Assert.Equal("synergy", strongest.Kind);
    }

    [Fact]
    public void Analyse_TooFewTrials_SaysSoInsteadOfGuessing()
    {
        ImportanceReport report = TechniqueImportance.Analyse(Space, Study(5), Objective);

        Assert.Empty(report.Effects);
        Assert.Contains("too few", report.Note, StringComparison.Ordinal);
    }
}
