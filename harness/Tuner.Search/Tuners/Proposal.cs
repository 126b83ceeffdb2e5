using Tuner.Search.Space;

namespace Tuner.Search.Tuners;

/// <summary>
/// A trial to run: a configuration and the fraction of the study's training budget to run it for
/// (<see cref="Fidelity"/>, 1 for a full trial; multi-fidelity tuners use less). A low-fidelity trial trains with the
/// full budget's schedule and stops at the fraction, so it is an exact prefix of the full trial: a trial that reaches
/// the target at low fidelity has its final time-to-target. <see cref="Tag"/> is the tuner's own bookkeeping (a
/// bracket and rung, a promotion), stored with the trial and handed back in <see cref="TrialResult"/>.
/// </summary>
public sealed record Proposal(Candidate Candidate, double Fidelity = 1.0, string? Tag = null);
