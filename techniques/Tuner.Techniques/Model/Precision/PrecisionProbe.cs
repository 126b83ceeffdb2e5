using Tuner.Training.Engine;
using static TorchSharp.torch;

namespace Tuner.Techniques.Model.Precision;

/// <summary>
/// Around precision's AfterForward: every Linear layer of the forward pass ran in bfloat16 and the model's logits came out
/// in bfloat16 (float32 from a Transformer's tied head, a matrix product with the float32 embedding) and leave as
/// float32; the parameters stay float32.
/// </summary>
internal sealed class PrecisionProbe(ITechnique technique) : TechniqueProbe<PrecisionTechnique>(technique)
{
    private long _forwards;
    private long _blocksComputed;

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        if (trainingEvent == TrainingEvent.BeforeForward && point == ObservationPoint.EventEnd)
        {
            _forwards = Technique.WorkingForwards;
            _blocksComputed = ModelLayers.TransformerBlocks(state.Model).Sum(b => b.Computed);
            return;
        }

        if (!mine || trainingEvent != TrainingEvent.AfterForward)
        {
            return;
        }

        if (point == ObservationPoint.BeforeTechnique)
        {
            // At least one (stochastic depth may skip whole blocks; every layer that runs goes through the hooks), unless
            // layer dropping skipped every block of a Transformer whose tied head is a matrix product, not a Linear layer.
            IReadOnlyList<Tuner.Training.Models.TransformerBlock> blocks = ModelLayers.TransformerBlocks(state.Model);
            bool noBlockRan = blocks.Count > 0 && blocks.Sum(b => b.Computed) == _blocksComputed;
            Expect(Technique.WorkingForwards > _forwards || noBlockRan, $"no Linear layer ran in {PrecisionTechnique.WorkingType} in this forward pass");
            bool tiedHead = state.Model is Tuner.Training.Models.CausalTransformer { Shape.TieWeights: true };
            Expect(state.Outputs!.dtype == (tiedHead ? ScalarType.Float32 : PrecisionTechnique.WorkingType), $"the forward pass produced {state.Outputs!.dtype} logits");
            return;
        }

        if (Expect(state.Outputs!.dtype == ScalarType.Float32, $"the logits reach the loss as {state.Outputs!.dtype}, not float32") &&
            Expect(state.Model.parameters().All(p => p.dtype == ScalarType.Float32), "a master weight is not float32"))
        {
            Seen++;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) => Seen > 0 ? null : "no training forward pass ran in bfloat16";
}
