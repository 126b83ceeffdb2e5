using System.Diagnostics;
using Tuner.Core.Options;
using Tuner.Training.Engine;

namespace Tuner.Techniques.Systems.InjectedSlowdown;

/// <summary>
/// Makes every training step really take <see cref="Factor"/> times as long (<c>tuner nightly --inject-slowdown</c>, a
/// test of the regression detector): it notes the time when a batch starts (it acts first) and, when the batch ends
/// (it acts last), polls the clock for (factor - 1) times that batch's own duration, on the charged clock. An internal
/// technique: the harness adds it, users cannot name it, and it is never listed, searched or measured.
/// </summary>
public sealed class InjectedSlowdownTechnique(double factor) : ITechnique
{
    public const string TechniqueName = "injected_slowdown";

    private long _batchStarted;

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.System,
        Folder = "InjectedSlowdown",
        Summary = "Internal (tuner nightly --inject-slowdown): every training step really takes factor times as long.",
        Paper = "none: a test of the nightly regression detector",
        Options = [OptionSpec.Number("factor", 2, 1, 100, "how many times as long each step takes")],
        Order = 1,
        Internal = true,
        Create = o => new InjectedSlowdownTechnique(o.Number("factor")),
        ProbeSummary = "after every batch the engine's clock has run factor times the batch's own duration",
        Probe = t => new InjectedSlowdownProbe(t),
    };

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.System;

    public double Factor { get; } = factor > 1 && factor <= 100 ? factor : throw new ArgumentOutOfRangeException(nameof(factor), factor, "an injected slowdown is above 1 and at most 100");

    /// <summary>Batches slowed so far.</summary>
    public long Slowed { get; private set; }

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent is TrainingEvent.BatchStart or TrainingEvent.BatchEnd;

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.BatchStart)
        {
            _batchStarted = Stopwatch.GetTimestamp();
            return;
        }

        long batch = Stopwatch.GetTimestamp() - _batchStarted;
        long until = Stopwatch.GetTimestamp() + (long)(batch * (Factor - 1));
        // A plain polling loop (real instructions, as slower code would run), not SpinWait's pause instructions, which change how fast the core runs what follows.
        while (Stopwatch.GetTimestamp() < until)
        {
        }

        Slowed++;
    }
}
