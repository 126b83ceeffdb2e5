using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Trials;
using Tuner.Data;
using Tuner.Training.Data;
using Tuner.Training.Engine;
using Tuner.Training.Models;
using static TorchSharp.torch;

namespace Tuner.Training.Tests.Models;

/// <summary>
/// The decoder-only Transformer trained by the engine as a character language model on the King James Bible (fetched
/// from Debian's bible packages into the data cache on first use): sequence targets, per-token loss and accuracy.
/// </summary>
public sealed class CausalTransformerTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TransformerShape Tiny = new(Vocabulary: 128, Context: 64, Width: 64, Layers: 2, Heads: 4);

    [Fact]
    public void Parameters_MatchTheModuleAndTheHeadIsTied()
    {
        using var model = new CausalTransformer(Tiny);
        using var untied = new CausalTransformer(Tiny with { TieWeights = false });

        Assert.Equal(Tiny.Parameters, model.parameters().Sum(p => p.numel()));
        Assert.Equal((Tiny with { TieWeights = false }).Parameters, untied.parameters().Sum(p => p.numel()));
        Assert.Equal(Tiny.Parameters + (128 * 64) + 128, untied.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void Forward_IsCausal_AndRefusesASequenceLongerThanTheContext()
    {
        using var model = new CausalTransformer(Tiny);
        model.eval();
        using var scope = NewDisposeScope();
        Tensor a = randint(0, 128, [1, 16], dtype: ScalarType.Int64);
        Tensor b = a.clone();
        b[0, 15] = (a[0, 15] + 1) % 128; // only the last token differs

        Tensor la = model.call(a);
        Tensor lb = model.call(b);

        Assert.Equal([1L, 16L, 128L], la.shape);
        Assert.True(la[0, ..15].allclose(lb[0, ..15], rtol: 1e-5, atol: 1e-6)); // earlier positions never see a later token
        Assert.False(la[0, 15].allclose(lb[0, 15]));
        var error = Assert.Throws<ArgumentException>(() => model.call(zeros(1, 65, dtype: ScalarType.Int64)));
        Assert.Contains("longer than the model's context of 64", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Checkpointing_GivesTheSameLossAndGradients_AndRecomputesEachBlockOnceInBackward(bool explicitAttention)
    {
        manual_seed(7);
        using var plain = new CausalTransformer(Tiny, explicitAttention);
        using var checkpointed = new CausalTransformer(Tiny, explicitAttention);
        checkpointed.load_state_dict(plain.state_dict());
        TransformerBlock[] blocks = [.. checkpointed.modules().OfType<TransformerBlock>()];
        foreach (TransformerBlock block in blocks)
        {
            block.Checkpoint = true;
        }

        using var scope = NewDisposeScope();
        Tensor tokens = randint(0, 128, [4, 33], dtype: ScalarType.Int64);
        Tensor inputs = tokens[.., ..32], targets = tokens[.., 1..];
        Tensor Loss(CausalTransformer model) => nn.functional.cross_entropy(model.call(inputs).reshape(-1, 128), targets.reshape(-1));

        Tensor expected = Loss(plain);
        expected.backward();
        Tensor actual = Loss(checkpointed);
        Assert.All(blocks, b => Assert.Equal(0, b.Recomputed)); // the forward pass kept no activations to reuse
        actual.backward();

        Assert.Equal(expected.item<float>(), actual.item<float>(), 6);
        Assert.All(blocks, b => Assert.Equal(1, b.Recomputed));
        foreach ((TorchSharp.Modules.Parameter p, TorchSharp.Modules.Parameter c) in plain.parameters().Zip(checkpointed.parameters()))
        {
            Assert.True(c.grad is not null && c.grad.allclose(p.grad!, rtol: 1e-4, atol: 1e-6), "a checkpointed gradient differs");
        }

        using (no_grad())
        {
            checkpointed.call(inputs); // no gradients recorded: nothing to recompute
        }

        Assert.All(blocks, b => Assert.Equal(1, b.Recomputed));
    }

    [Fact]
    public void SkippedAndInactiveBlocksAreTheIdentity_AndTheBranchScaleScalesBothResidualBranches()
    {
        manual_seed(3);
        using var block = new TransformerBlock("b", 64, 4, causal: true, explicitAttention: false);
        using var scope = NewDisposeScope();
        Tensor x = randn(2, 8, 64);

        block.Skip = true;
        Assert.True(block.call(x).equal(x).all().item<bool>());
        block.Skip = false;
        block.Active = false;
        Assert.True(block.call(x).equal(x).all().item<bool>());
        block.Active = true;
        Assert.Equal(2, block.Calls);
        Assert.Equal(0, block.Computed);

        Tensor full = block.call(x);
        block.BranchScale = 0;
        Assert.True(block.call(x).allclose(x)); // both branches off: the input passes through
        block.BranchScale = 2;
        Tensor doubled = block.call(x);
        Assert.False(doubled.allclose(full));
        Assert.Equal(3, block.Computed);
    }

    [Fact]
    public async Task Run_OnTheBible_LearnsBelowTheUnigramEntropyPerCharacter()
    {
        set_num_threads(1);
        var store = new DataStore(DataStore.DefaultRoot(null));
        IReadOnlyDictionary<string, string> paths = await store.EnsureAsync(KnownDatasets.BibleKjv, null, CancellationToken.None);
        BibleText bible = BibleText.Read(paths["kjv.txt"]);
        using TensorDataset train = CharacterWindows.Create(bible.Train.Span, Tiny.Context, Tiny.Vocabulary);
        using TensorDataset validation = CharacterWindows.Create(bible.Validation.Span[..16_385], Tiny.Context, Tiny.Vocabulary);
        var request = new TrainingRequest
        {
            ModelFactory = () => new CausalTransformer(Tiny),
            Train = train,
            Eval = validation,
            Configuration = new TrainingConfiguration { Optimizer = "adamw", LearningRate = 3e-3, BatchSize = 32, WeightDecay = 0.01, EvalEverySamples = 1_600 },
            Budget = Budget.Steps(200),
            Target = new TargetSpec(TargetMetrics.Loss, 0.01), // not reached: train the whole budget
            Seed = 1,
        };

        TrainingOutcome outcome = BudgetedTrainer.Run(request, null, CancellationToken.None);

        double unigram = UnigramEntropy(bible.Train.Span);
        double achieved = (outcome.Throughput ?? outcome.SamplesPerSecond) * Tiny.Context * Tiny.TrainingFlopsPerToken;
        Tuner.Training.Runtime.PeakFlops peak = Tuner.Training.Runtime.MachinePeak.Get();
        output.WriteLine($"unigram {unigram:0.000} nats; validation loss {string.Join(", ", outcome.Curve.Select(p => p.Metric.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)))}; {outcome.TrainSeconds:0.0} s of training, {(outcome.Throughput ?? outcome.SamplesPerSecond) * Tiny.Context:0} tokens/s steady, {achieved / 1e9:0.0} GFLOP/s of model FLOPs, {achieved / peak.Fp32:P0} of the fp32 GEMM peak {peak.Fp32 / 1e9:0.0} GFLOP/s measured in this run");
        Assert.Equal(TrialStatus.NotReached, outcome.Status);
        Assert.Equal(4, outcome.Curve.Count);
        Assert.InRange(unigram, 2.5, 3.2); // English characters: ~4.1 bits
        Assert.True(outcome.Curve[0].Metric > outcome.Curve[^1].Metric, $"validation loss {outcome.Curve[0].Metric} then {outcome.Curve[^1].Metric}");
        Assert.True(outcome.BestMetric < unigram - 0.2, $"best validation loss {outcome.BestMetric:0.000} nats per character, unigram {unigram:0.000}");
        Assert.Equal(outcome.Curve.Min(p => p.Metric), outcome.BestMetric);
        Assert.All(outcome.Curve, p => Assert.Equal(p.EvalLoss, p.Metric));
    }

    /// <summary>Entropy in nats of the characters' frequencies: the loss of the best model that ignores context.</summary>
    private static double UnigramEntropy(ReadOnlySpan<byte> text)
    {
        var counts = new long[256];
        foreach (byte c in text)
        {
            counts[c]++;
        }

        double n = text.Length;
        return -counts.Where(c => c > 0).Sum(c => c / n * Math.Log(c / n));
    }
}
