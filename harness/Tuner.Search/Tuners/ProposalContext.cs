using Tuner.Search.Space;

namespace Tuner.Search.Tuners;

/// <summary>What a tuner may use to propose trial <see cref="TrialNumber"/>.</summary>
/// <param name="TrialNumber">The number the proposed trial will get (0-based, dense in a study).</param>
/// <param name="Space">The study's search space.</param>
/// <param name="Random">Random numbers for this proposal only, seeded from the tuner seed and the trial number.</param>
/// <param name="Pending">Proposals already handed out whose trials have not finished (waiting or running).</param>
public sealed record ProposalContext(int TrialNumber, SearchSpace Space, Random Random, IReadOnlyList<Proposal> Pending)
{
    /// <summary>The context for trial <paramref name="trialNumber"/> of a tuner seeded with <paramref name="tunerSeed"/>.</summary>
    public static ProposalContext For(SearchSpace space, long tunerSeed, int trialNumber, IReadOnlyList<Proposal>? pending = null) =>
        new(trialNumber, space, new Random(Seeds.Mix(tunerSeed, trialNumber)), pending ?? []);
}

/// <summary>Deterministic seed derivation (SplitMix64), independent of the process (unlike <c>HashCode</c>).</summary>
public static class Seeds
{
    public static int Mix(long seed, long stream)
    {
        ulong z = unchecked((ulong)seed + (0x9E3779B97F4A7C15UL * ((ulong)stream + 1)));
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
