using Tuner.Core.Options;
using Tuner.Core.Workloads;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using static TorchSharp.torch;

namespace Tuner.Techniques.Model.LayerStacking;

/// <summary>
/// Model growth by progressive stacking (Gong et al., ICML 2019): training starts with the bottom L / 2^stages of the L
/// Transformer blocks (the others are the identity, <see cref="TransformerBlock.Active"/>); at fractions
/// until x k / stages of the schedule horizon (k = 1..stages) the trained blocks are copied on top of themselves, doubling
/// the depth, until all L train. The copied blocks start with the weights of the blocks below them and a fresh optimizer
/// state (they had no gradients before). The shallow phases cost proportionally less per step; evaluation runs the model
/// as it is at the time.
/// </summary>
public sealed class LayerStackingTechnique(int stages, double until) : ITechnique
{
    public const string TechniqueName = "layer_stacking";

    public static TechniqueDescriptor Descriptor { get; } = new()
    {
        Name = TechniqueName,
        Category = TechniqueCategory.Model,
        Folder = "LayerStacking",
        Summary = "Progressive stacking: trains the bottom L/2^stages Transformer blocks first and doubles the depth by copying the trained blocks on top at until x k/stages of the horizon, until all L train.",
        Paper = "Gong, He, Li, Qin, Wang and Liu, Efficient Training of BERT by Progressively Stacking, ICML 2019",
        Options =
        [
            OptionSpec.Whole("stages", 1, 1, 10, "doublings (training starts with L / 2^stages blocks, at least 1)"),
            OptionSpec.Number("until", 0.25, 0.001, 1, "horizon fraction of the last doubling (the k-th at until x k / stages)"),
        ],
        Requires = WorkloadFacts.TokenSequences,
        ActsOverHorizon = true,
        Order = 242,
        Create = o => new LayerStackingTechnique(o.Whole("stages"), o.Number("until")),
        ProbeSummary = "forward passes run only the active bottom blocks, fewer than all before the last doubling and all after it; each doubling copies the trained blocks' weights onto the ones above",
        Probe = t => new LayerStackingProbe(t),
        ContractOptions = new Dictionary<string, string>(StringComparer.Ordinal) { ["until"] = "0.05" },
    };

    private IReadOnlyList<TransformerBlock> _blocks = [];
    private int _doublings;

    public string Name => TechniqueName;

    public TechniqueCategory Category => TechniqueCategory.Model;

    public int Stages { get; } = stages;

    public double Until { get; } = until;

    /// <summary>The Transformer blocks (known from FitStart).</summary>
    public IReadOnlyList<TransformerBlock> Blocks => _blocks;

    /// <summary>Active blocks now.</summary>
    public int ActiveCount => _blocks.Count(b => b.Active);

    /// <summary>Doublings done so far.</summary>
    public int Doublings => _doublings;

    /// <summary>Called after each doubling with (source block, copied block) index pairs (what the probe checks).</summary>
    public event Action<IReadOnlyList<(int From, int To)>>? Stacked;

    /// <summary>Active blocks of <paramref name="layers"/> after <paramref name="doublings"/> of <paramref name="stages"/> doublings.</summary>
    public static int ActiveBlocks(int layers, int stages, int doublings) =>
        (int)Math.Min(layers, Math.Max(1, layers >> Math.Min(stages, 30)) * (1L << Math.Min(doublings, 30)));

    /// <summary>The horizon fraction of doubling <paramref name="k"/> (1-based).</summary>
    public double DoublingAt(int k) => Until * k / Stages;

    public bool Matches(TrainingEvent trainingEvent, TrainingState state) => trainingEvent switch
    {
        TrainingEvent.FitStart => true,
        TrainingEvent.AfterDataLoader => _doublings < Stages && state.ScheduleFraction >= DoublingAt(_doublings + 1),
        _ => false,
    };

    public void Apply(TrainingEvent trainingEvent, TrainingState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (trainingEvent == TrainingEvent.FitStart)
        {
            _blocks = ModelLayers.TransformerBlocks(state.Model);
            if (_blocks.Count < 2)
            {
                throw new InvalidOperationException($"{TechniqueName} grows a Transformer by stacking its blocks, but this model has {_blocks.Count}: use a transformer or encoder model with at least 2 layers");
            }

            _doublings = 0;
            SetActive(ActiveBlocks(_blocks.Count, Stages, 0));
            return;
        }

        while (_doublings < Stages && state.ScheduleFraction >= DoublingAt(_doublings + 1))
        {
            int from = ActiveBlocks(_blocks.Count, Stages, _doublings);
            int to = ActiveBlocks(_blocks.Count, Stages, _doublings + 1);
            var copies = new List<(int From, int To)>();
            using (no_grad())
            {
                for (int target = from; target < to; target++)
                {
                    int source = target - from;
                    foreach ((TorchSharp.Modules.Parameter dst, TorchSharp.Modules.Parameter src) in _blocks[target].parameters().Zip(_blocks[source].parameters()))
                    {
                        dst.copy_(src);
                    }

                    copies.Add((source, target));
                }
            }

            _doublings++;
            SetActive(to);
            Stacked?.Invoke(copies);
        }
    }

    private void SetActive(int count)
    {
        for (int i = 0; i < _blocks.Count; i++)
        {
            _blocks[i].Active = i < count;
        }
    }
}

/// <summary>
/// At every training forward pass the active blocks are a bottom prefix of the scheduled size for the doublings due at
/// that schedule fraction; inactive blocks compute nothing; a doubling's copies equal their sources right after it.
/// </summary>
internal sealed class LayerStackingProbe : TechniqueProbe<LayerStackingTechnique>
{
    private long[] _computedBefore = [];
    private bool _shallow;
    private bool _full;

    public LayerStackingProbe(ITechnique technique)
        : base(technique)
    {
        Technique.Stacked += copies =>
        {
            IReadOnlyList<TransformerBlock> blocks = Technique.Blocks;
            foreach ((int from, int to) in copies)
            {
                float[][] source = [.. blocks[from].parameters().Select(p => ProbeValues.Of(p))];
                float[][] copy = [.. blocks[to].parameters().Select(p => ProbeValues.Of(p))];
                Expect(ProbeValues.MaxDifference(source, copy) == 0, $"block {to + 1} is not a copy of block {from + 1} after stacking");
            }
        };
    }

    protected override void Watch(TrainingEvent trainingEvent, ObservationPoint point, bool mine, TrainingState state)
    {
        IReadOnlyList<TransformerBlock> blocks = Technique.Blocks;
        switch (trainingEvent, point)
        {
            case (TrainingEvent.BeforeForward, ObservationPoint.EventEnd):
                _computedBefore = [.. blocks.Select(b => b.Computed)];
                int active = Technique.ActiveCount;
                int due = Enumerable.Range(1, Technique.Stages).Count(k => state.ScheduleFraction >= Technique.DoublingAt(k));
                _ = Expect(blocks.Take(active).All(b => b.Active), "the active blocks are not the bottom ones") &&
                    Expect(active == LayerStackingTechnique.ActiveBlocks(blocks.Count, Technique.Stages, due), $"{active} blocks are active at schedule fraction {state.ScheduleFraction:0.###}, not the {LayerStackingTechnique.ActiveBlocks(blocks.Count, Technique.Stages, due)} scheduled");
                _shallow |= active < blocks.Count;
                _full |= active == blocks.Count;
                break;
            case (TrainingEvent.AfterForward, ObservationPoint.EventStart) when _computedBefore.Length == blocks.Count:
                Expect(blocks.Select((b, i) => (b, i)).Where(x => !x.b.Active).All(x => x.b.Computed == _computedBefore[x.i]), "an inactive block computed");
                break;
        }
    }

    protected override string? Missing(TrainingOutcome outcome) =>
        !_shallow ? "training never ran a shallower model" : null;
}
