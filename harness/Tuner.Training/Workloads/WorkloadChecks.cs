using TorchSharp;
using TorchSharp.Modules;
using Tuner.Core.Errors;
using Tuner.Core.Workloads;
using TensorDataset = Tuner.Training.Data.TensorDataset;
using Tuner.Training.Models;
using static TorchSharp.torch;

namespace Tuner.Training.Workloads;

/// <summary>
/// Checks a workload's data and model before its first trial, so that a mistake is one line naming the problem and
/// the fix instead of a failed trial, a stack trace from deep inside libtorch, or a technique that silently acts on
/// nothing: the splits agree with each other, the declared <see cref="WorkloadFacts"/> hold for what was loaded and
/// built, and the model's output fits the labels and the loss.
/// </summary>
public static class WorkloadChecks
{
    /// <summary>Checks the splits against each other and against the facts; throws an <see cref="ArgumentException"/> whose message is one line.</summary>
    public static void CheckData(WorkloadData data, WorkloadFacts facts)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach ((string name, TensorDataset split) in new[] { ("validation", data.Validation), ("test", data.Test) })
        {
            if (!split.SampleShape.SequenceEqual(data.Train.SampleShape))
            {
                throw new ArgumentException($"the {name} split's samples are [{Shape(split.SampleShape)}] but the train split's [{Shape(data.Train.SampleShape)}]: all three splits must hold samples of one shape");
            }

            if (split.ClassCount != data.Train.ClassCount || split.IsTokens != data.Train.IsTokens)
            {
                throw new ArgumentException($"the {name} split has {split.ClassCount} classes{(split.IsTokens ? " (token ids)" : string.Empty)} but the train split {data.Train.ClassCount}{(data.Train.IsTokens ? " (token ids)" : string.Empty)}: make the three splits with one class count and one kind of input");
            }

            if (split.Count == 0)
            {
                throw new ArgumentException($"the {name} split is empty: the target is checked on validation and the result reported on test, so both need rows");
            }
        }

        if (data.Train.Count == 0)
        {
            throw new ArgumentException("the train split is empty");
        }

        if (data.Train.ClassCount < 2)
        {
            throw new ArgumentException($"the data have {data.Train.ClassCount} class(es): the loss is cross-entropy over at least 2 classes");
        }

        if (facts.HasFlag(WorkloadFacts.Images) && data.Train.SampleShape.Length != 3)
        {
            throw new ArgumentException($"the workload declares Images but its samples are [{Shape(data.Train.SampleShape)}]: images are [channels, height, width]; drop the fact or reshape the samples");
        }

        if (facts.HasFlag(WorkloadFacts.RealInputs) && data.Train.IsTokens)
        {
            throw new ArgumentException("the workload declares RealInputs but its samples are token ids: drop the fact (techniques that mix or perturb input values do not apply to token ids)");
        }

        if (facts.HasFlag(WorkloadFacts.TokenSequences) && !data.Train.IsTokens)
        {
            throw new ArgumentException("the workload declares TokenSequences but its samples are not token ids: make the splits with a token vocabulary (TensorDataset's tokenVocabulary) or drop the fact");
        }
    }

    /// <summary>
    /// Builds one model (seeded) and checks it: the modules the facts promise are there, and its output on two
    /// validation rows fits their labels (logits [batch, classes] for labels [batch]; [batch, positions, classes] for
    /// labels [batch, positions]). Throws an <see cref="ArgumentException"/> whose message is one line.
    /// </summary>
    public static void CheckModel(IWorkload workload, WorkloadData data, Device device)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(data);
        using DisposeScope scope = NewDisposeScope();
        manual_seed(0);
        nn.Module<Tensor, Tensor> model;
        try
        {
            model = workload.CreateModel(data);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ArgumentException($"CreateModel threw {ExceptionText.Describe(ex)}", ex);
        }

        if (model is null)
        {
            throw new ArgumentException("CreateModel returned null: return a new module");
        }

        using (model)
        {
            WorkloadFacts facts = workload.Facts;
            IReadOnlyList<nn.Module> modules = [.. model.modules()];
            if (facts.HasFlag(WorkloadFacts.ResidualBlocks) && !modules.OfType<ResidualBlock>().Any())
            {
                throw new ArgumentException("the workload declares ResidualBlocks but its model has no Tuner.Training.Models.ResidualBlock: build its residual blocks from ResidualBlock (the techniques that act on residual branches find them by type) or drop the fact");
            }

            if (facts.HasFlag(WorkloadFacts.TokenSequences) && !modules.OfType<TransformerBlock>().Any())
            {
                throw new ArgumentException("the workload declares TokenSequences but its model has no Tuner.Training.Models.TransformerBlock: build its blocks from TransformerBlock (layer dropping, stacking and checkpointing act on them) or drop the fact");
            }

            if (facts.HasFlag(WorkloadFacts.Convolutions) && !modules.Any(m => m is Conv2d or PaddedConv2d))
            {
                throw new ArgumentException("the workload declares Convolutions but its model has no 2-d convolution: drop the fact");
            }

            if (!model.parameters().Any(p => p.requires_grad))
            {
                throw new ArgumentException("the model has no trainable parameters: CreateModel must return a module whose parameters require gradients");
            }

            model.to(device);
            model.eval();
            long rows = Math.Min(2, data.Validation.Count);
            Tensor x = data.Validation.Slice(0, rows).to(device);
            Tensor y = data.Validation.Labels.narrow(0, 0, rows);
            Tensor output;
            try
            {
                using (no_grad())
                {
                    output = model.call(x);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw new ArgumentException($"the model's forward pass on validation samples [{Shape(x.shape)}] threw {ExceptionText.Describe(ex)}", ex);
            }

            long[] expected = [.. y.shape, data.Train.ClassCount];
            if (!output.shape.SequenceEqual(expected))
            {
                string kind = y.shape.Length == 1
                    ? $"a classifier returns logits [batch, {data.Train.ClassCount}] for labels [batch]"
                    : $"a sequence model returns logits [batch, {y.shape[1]}, {data.Train.ClassCount}] for labels [batch, {y.shape[1]}]";
                throw new ArgumentException($"the model returns [{Shape(output.shape)}] for {rows} validation samples, but their labels are [{Shape(y.shape)}] over {data.Train.ClassCount} classes: {kind} (the loss is cross-entropy)");
            }

            if (!output.is_floating_point())
            {
                throw new ArgumentException($"the model returns {output.dtype} values: return floating-point logits");
            }
        }
    }

    private static string Shape(IEnumerable<long> shape) => string.Join(", ", shape);
}
