using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Core.Workloads;
using Tuner.Suites.Workloads;
using Tuner.Training.Models;
using Tuner.Training.Workloads;

namespace Tuner.Suites.Specs;

/// <summary>
/// A benchmark suite: a workload (data and model), target, default budget and the baseline recipe (plain optimizer,
/// fixed learning rate, no techniques) that reaches the target within the default budget on the reference 2-core machine.
/// The workload is either described (<see cref="Data"/> and <see cref="Model"/>, Tuner's data readers and model kinds) or
/// a user's own <see cref="IWorkload"/> from an assembly (<see cref="Workload"/>, made as <see cref="External"/>);
/// <see cref="CreateWorkload"/> gives the one every runner trains either way.
/// Built-in suites are JSON files in suites/Tuner.Suites/builtin/, in the same format users write.
/// </summary>
public sealed record SuiteSpec
{
    public required string Name { get; init; }

    public string Description { get; init; } = string.Empty;

    /// <summary>The described data (Tuner's readers); null for a workload from an assembly.</summary>
    public DataSpec? Data { get; init; }

    /// <summary>The described model (a built-in model kind); null for a workload from an assembly.</summary>
    public ModelSpec? Model { get; init; }

    /// <summary>The suite file's <c>workload</c> entry; null for a described suite.</summary>
    public WorkloadReference? Workload { get; init; }

    /// <summary>The workload made from <see cref="Workload"/> when the suite file was read (its assembly loaded, its type constructed).</summary>
    public IWorkload? External { get; init; }

    /// <summary>The workload every runner trains: <see cref="External"/>, or the described data and model as a <see cref="SuiteWorkload"/>.</summary>
    public IWorkload CreateWorkload() => External ?? new SuiteWorkload(this);

    /// <summary>The described model, for code that only works with built-in model kinds; a one-line error for a workload from an assembly.</summary>
    public ModelSpec DescribedModel => Model ?? throw new Core.Errors.TunerInputException(
        $"suite '{Name}' trains its own model ({Workload}), which this needs as a built-in model kind (a suite's \"model\" entry)");

    /// <summary>The described data; a one-line error for a workload from an assembly.</summary>
    public DataSpec DescribedData => Data ?? throw new Core.Errors.TunerInputException(
        $"suite '{Name}' loads its own data ({Workload}), which this needs as described data (a suite's \"data\" entry)");

    /// <summary>One line describing the model, for listings.</summary>
    public string ModelDescription => External?.ModelDescription ?? Model?.ToString() ?? string.Empty;

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
    /// kind resmlp), token sequences (text read by model kind transformer or encoder), and always a built-in model. A
    /// workload from an assembly declares its own (<see cref="IWorkload.Facts"/>).
    /// </summary>
    public WorkloadFacts Facts
    {
        get
        {
            if (External is not null)
            {
                return External.Facts;
            }

            return DescribedFacts | WorkloadFacts.BuiltInModel;
        }
    }

    private WorkloadFacts DescribedFacts
    {
        get
        {
            DataSpec data = DescribedData;
            ModelSpec model = DescribedModel;
            if (IsText)
            {
                return model.ReadsTokens ? WorkloadFacts.TokenSequences : WorkloadFacts.None;
            }

            bool images = data.Dataset == "fashion-mnist" || data.Format == "idx" || data.ImageShape is { Count: 3 };
            WorkloadFacts facts = WorkloadFacts.RealInputs | (images ? WorkloadFacts.Images : WorkloadFacts.None);
            if (images && AllowsHorizontalFlip)
            {
                facts |= WorkloadFacts.MirrorableImages;
            }

            return facts | model.Kind switch
            {
                "cnn" => WorkloadFacts.Convolutions | WorkloadFacts.ResizableInputs,
                "resmlp" => WorkloadFacts.ResidualBlocks,
                _ => WorkloadFacts.None,
            };
        }
    }

    /// <summary>Whether the data are text read as token ids (bible-kjv, spam-assassin).</summary>
    public bool IsText => Data?.Dataset is "bible-kjv" or "spam-assassin";

    /// <summary>The file this suite was read from (null for none).</summary>
    public string? SourcePath { get; init; }
}
