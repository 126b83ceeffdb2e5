using Tuner.Search.Objective;
using Tuner.Search.Space;
using Tuner.Search.Tuners;
using Tuner.Search.Tuners.Smac;

namespace Tuner.Search.Importance;

/// <summary>A technique's estimated marginal effect: predicted time-to-target (score) with it on, relative to off.</summary>
/// <param name="Technique">The technique.</param>
/// <param name="Ratio">exp(mean log score on - mean log score off) over the observed configurations: below 1 it helps.</param>
/// <param name="TrialsWith">Trials of the study that had it on.</param>
/// <param name="TrialsWithout">Trials that had it off.</param>
public sealed record TechniqueEffect(string Technique, double Ratio, int TrialsWith, int TrialsWithout);

/// <summary>
/// A pairwise interaction: how much more (synergy, factor below 1) or less (antagonism, above 1) two techniques
/// shorten time-to-target together than their separate effects predict.
/// </summary>
public sealed record TechniqueInteraction(string A, string B, double Factor, int TrialsWithBoth)
{
    public string Kind => Factor < 1 ? "synergy" : "antagonism";
}

/// <summary>What the surrogate says about the techniques of a study.</summary>
public sealed record ImportanceReport(int Trials, IReadOnlyList<TechniqueEffect> Effects, IReadOnlyList<TechniqueInteraction> Interactions, string? Note);

/// <summary>
/// Technique importance from a random-forest surrogate (the SMAC forest) fitted on a study's finished trials: the
/// label is the log of the censored score (time-to-target as a fraction of the budget for trials that reached the
/// target, above 1 for those that missed it), so ratios read as time-to-target ratios where the target was reached.
/// Marginal effects and pairwise interactions are partial dependences: every observed configuration is predicted with
/// the technique (pair) forced on and off, conflicting techniques switched off, and the log predictions are averaged
/// (Friedman's partial dependence; the interaction is the H-statistic's numerator, on the log scale). Estimates from
/// tens of trials are rough and say which way, not exactly how much; the report says how many trials it rests on.
/// </summary>
public static class TechniqueImportance
{
    public const int MinimumTrials = 8;

    public static ImportanceReport Analyse(SearchSpace space, IReadOnlyList<TrialResult> results, CensoredObjective objective, int seed = 0, int topInteractions = 5)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(results);
        ArgumentNullException.ThrowIfNull(objective);
        TrialResult[] usable = [.. results.Where(r => !r.Broken && (r.Reached || r.Proposal.Fidelity >= 1))];
        var toggles = new List<(string Name, int Index)>();
        int d = space.Parameters.Count;
        foreach (TechniqueDimension t in space.Techniques)
        {
            if (t.Optional)
            {
                toggles.Add((t.Name, d));
                d++;
            }

            d += t.Options.Count;
        }

        if (usable.Length < MinimumTrials || toggles.Count == 0)
        {
            return new ImportanceReport(usable.Length, [], [], toggles.Count == 0
                ? "the space has no optional technique"
                : $"too few finished full trials for importance ({usable.Length} < {MinimumTrials})");
        }

        IReadOnlyList<double>[] x = [.. usable.Select(r => r.Proposal.Candidate.Unit)];
        double[] y = [.. usable.Select(r => Math.Log(objective.Score(r)))];
        RandomForestSurrogate forest = RandomForestSurrogate.Fit(x, y, seed);

        double Dependence(params (string Name, int Index, bool On)[] forced)
        {
            double sum = 0;
            foreach (IReadOnlyList<double> row in x)
            {
                double[] v = [.. row];
                foreach ((string name, int index, bool on) in forced)
                {
                    if (on)
                    {
                        foreach ((string other, int otherIndex) in toggles)
                        {
                            if (space.Conflicts(name, other))
                            {
                                v[otherIndex] = 0.25;
                            }
                        }
                    }
                }

                foreach ((_, int index, bool on) in forced)
                {
                    v[index] = on ? 0.75 : 0.25;
                }

                sum += forest.Predict(space.Decode(v).Unit).Mean;
            }

            return sum / x.Length;
        }

        bool IsOn(TrialResult r, string name) => r.Proposal.Candidate.TechniqueNames.Contains(name);
        var effects = toggles
            .Select(t => new TechniqueEffect(
                t.Name,
                Math.Exp(Dependence((t.Name, t.Index, true)) - Dependence((t.Name, t.Index, false))),
                usable.Count(r => IsOn(r, t.Name)),
                usable.Count(r => !IsOn(r, t.Name))))
            .OrderBy(e => e.Ratio)
            .ToList();

        var interactions = new List<TechniqueInteraction>();
        for (int i = 0; i < toggles.Count; i++)
        {
            for (int j = i + 1; j < toggles.Count; j++)
            {
                var (a, ai) = toggles[i];
                var (b, bi) = toggles[j];
                if (space.Conflicts(a, b) || space.MaxTechniques is < 2)
                {
                    continue;
                }

                double both = Dependence((a, ai, true), (b, bi, true));
                double onlyA = Dependence((a, ai, true), (b, bi, false));
                double onlyB = Dependence((a, ai, false), (b, bi, true));
                double neither = Dependence((a, ai, false), (b, bi, false));
                interactions.Add(new TechniqueInteraction(a, b, Math.Exp(both - onlyA - onlyB + neither), usable.Count(r => IsOn(r, a) && IsOn(r, b))));
            }
        }

        return new ImportanceReport(
            usable.Length,
            effects,
            [.. interactions.OrderByDescending(t => Math.Abs(Math.Log(t.Factor))).Take(topInteractions)],
            null);
    }
}
