using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Core.Workloads;
using Tuner.Training.Models;

namespace Tuner.Suites.Specs;

/// <summary>
/// A benchmark suite: data, model, target, default budget and the baseline recipe (plain optimizer, fixed learning rate,
/// no techniques) that reaches the target within the default budget on the reference 2-core machine.
/// Built-in suites are JSON files in suites/Tuner.Suites/builtin/, in the same format users write.
/// </summary>
public sealed record SuiteSpec
{
    public required string Name { get; init; }

    public string Description { get; init; } = string.Empty;

    public required DataSpec Data { get; init; }

    public required ModelSpec Model { get; init; }

    public required TargetSpec Target { get; init; }

    public required Budget DefaultBudget { get; init; }

    /// <summary>The baseline recipe; its <see cref="TrainingConfiguration.EvalEverySamples"/> is the suite's evaluation cadence.</summary>
    public required TrainingConfiguration Baseline { get; init; }

    /// <summary>Whether a horizontally flipped input keeps its label (clothes: yes; digits: no). From <c>"augment": {"horizontal_flip": true}</c>.</summary>
    public bool AllowsHorizontalFlip { get; init; }

    /// <summary>
    /// What this suite's data and model offer techniques, known without loading the data: real-valued inputs (everything
    /// but text), images (Fashion-MNIST, IDX files, tabular data with an <c>image_shape</c> of three entries), mirrorable
    /// images (<c>augment.horizontal_flip</c>), convolutions and resizable inputs (model kind cnn), residual blocks (model
    /// kind resmlp), token sequences (text read by model kind transformer or encoder).
    /// </summary>
    public WorkloadFacts Facts
    {
        get
        {
            if (IsText)
            {
                return Model.ReadsTokens ? WorkloadFacts.TokenSequences : WorkloadFacts.None;
            }

            bool images = Data.Dataset == "fashion-mnist" || Data.Format == "idx" || Data.ImageShape is { Count: 3 };
            WorkloadFacts facts = WorkloadFacts.RealInputs | (images ? WorkloadFacts.Images : WorkloadFacts.None);
            if (images && AllowsHorizontalFlip)
            {
                facts |= WorkloadFacts.MirrorableImages;
            }

            return facts | Model.Kind switch
            {
                "cnn" => WorkloadFacts.Convolutions | WorkloadFacts.ResizableInputs,
                "resmlp" => WorkloadFacts.ResidualBlocks,
                _ => WorkloadFacts.None,
            };
        }
    }

    /// <summary>Whether the data are text read as token ids (bible-kjv, spam-assassin).</summary>
    public bool IsText => Data.Dataset is "bible-kjv" or "spam-assassin";

    /// <summary>The file this suite was read from (null for none).</summary>
    public string? SourcePath { get; init; }
}
