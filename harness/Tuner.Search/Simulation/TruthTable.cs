using System.Globalization;
using Tuner.Core.Budgets;
using Tuner.Core.Trials;
using Tuner.Search.Objective;
using Tuner.Search.Space;

namespace Tuner.Search.Simulation;

/// <summary>
/// Ground truth for replaying searches: measured trials of every configuration of a space, each run without cap or
/// pruner to the target or to the end of its wall-clock budget (an exhaustive grid study, cached once). With several
/// seeds per configuration the configuration's truth is its median run (by time-to-target, a miss counting as
/// infinite; the lower of the two middle runs for an even count), so one lucky seed does not decide the ranking.
/// Configurations are found by <see cref="Candidate.Key"/>, which is the configuration's canonical text; every record
/// must share the budget and the target, which define the study's <see cref="Objective"/>.
/// </summary>
public sealed class TruthTable
{
    private readonly Dictionary<string, TrialRecord> _byKey = new(StringComparer.Ordinal);

    /// <param name="records">The measured trials, in the order they were run (the grid's enumeration order).</param>
    /// <exception cref="ArgumentException">No records, a configuration twice on one seed, budgets or targets that differ, or a budget that is not wall-clock time.</exception>
    public TruthTable(IEnumerable<TrialRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        TrialRecord[] all = [.. records];
        if (all.Length == 0)
        {
            throw new ArgumentException("the truth table has no records", nameof(records));
        }

        var medians = new List<TrialRecord>();
        foreach (IGrouping<string, TrialRecord> runs in all.GroupBy(r => r.Configuration.ToString(), StringComparer.Ordinal))
        {
            if (runs.GroupBy(r => r.Seed).FirstOrDefault(g => g.Count() > 1) is { } repeated)
            {
                throw new ArgumentException($"the truth table has configuration '{runs.Key}' twice on seed {repeated.Key}: keep one measurement per configuration and seed", nameof(records));
            }

            TrialRecord[] ordered = [.. runs.OrderBy(r => r.Status == TrialStatus.Reached && r.TimeToTargetSeconds is double t ? t : double.PositiveInfinity).ThenBy(r => r.Seed)];
            TrialRecord median = ordered[(ordered.Length - 1) / 2];
            medians.Add(median);
            _byKey.Add(runs.Key, median);
        }

        Records = medians;
        SeedsPerConfiguration = all.Length / (double)medians.Count;

        TrialRecord first = Records[0];
        Budget budget = Budget.Parse(first.Budget);
        if (budget.Unit != BudgetUnit.WallClock)
        {
            throw new ArgumentException($"the truth table's budget {first.Budget} is not wall-clock time: capping and fidelities are simulated in seconds", nameof(records));
        }

        TrialRecord? odd = Records.FirstOrDefault(r => !Budget.Parse(r.Budget).Equals(budget) || !r.Target.Equals(first.Target));
        if (odd is not null)
        {
            throw new ArgumentException(
                $"the truth table mixes studies: '{odd.Configuration}' has budget {odd.Budget} and target {odd.Target}, the first record {first.Budget} and {first.Target}",
                nameof(records));
        }

        BudgetSeconds = budget.Amount;
        Target = first.Target;
        Objective = new CensoredObjective(BudgetSeconds, Target.Value, Target.LowerIsBetter);
        Best = Records.Where(r => r.Status == TrialStatus.Reached && r.TimeToTargetSeconds is not null)
            .OrderBy(r => r.TimeToTargetSeconds!.Value)
            .FirstOrDefault();
        FullGridSeconds = Records.Sum(r => r.TrainSeconds);
    }

    /// <summary>Each configuration's truth (its median run), in the order the configurations first appear.</summary>
    public IReadOnlyList<TrialRecord> Records { get; }

    /// <summary>Measured runs per configuration, on average (1 for a single-seed truth).</summary>
    public double SeedsPerConfiguration { get; }

    public int Count => Records.Count;

    /// <summary>The full-fidelity training budget in seconds (the objective's reference seconds).</summary>
    public double BudgetSeconds { get; }

    public TargetSpec Target { get; }

    /// <summary>The objective the product's study would use: <c>new CensoredObjective(budget seconds, target)</c>.</summary>
    public CensoredObjective Objective { get; }

    /// <summary>The record with the lowest time-to-target (the first of equals), or null when none reached the target.</summary>
    public TrialRecord? Best { get; }

    /// <summary>The lowest time-to-target over the whole table, or null when none reached the target.</summary>
    public double? BestTimeToTargetSeconds => Best?.TimeToTargetSeconds;

    /// <summary>The compute of the exhaustive grid: every configuration's median run's charged training seconds (each ran to the target or to the end of the budget, with no cap).</summary>
    public double FullGridSeconds { get; }

    /// <summary>The record measured for <paramref name="candidate"/>'s configuration.</summary>
    /// <exception cref="KeyNotFoundException">The configuration was not measured (the tuner left the table's space).</exception>
    public TrialRecord Lookup(Candidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return _byKey.TryGetValue(candidate.Key, out TrialRecord? record)
            ? record
            : throw new KeyNotFoundException(string.Create(
                CultureInfo.InvariantCulture,
                $"configuration '{candidate.Key}' is not in the truth table ({Count} configurations): the truth must be the exhaustive grid of the same space file"));
    }

    /// <summary>Whether <paramref name="key"/> (a configuration's canonical text) was measured.</summary>
    public bool Contains(string key) => _byKey.ContainsKey(key);
}
