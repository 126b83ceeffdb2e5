using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Data;
using Tuner.Suites.Loading;
using Tuner.Training.Models;
using Tuner.Suites.Specs;
using Tuner.Training.Engine;
using Tuner.Training.Optimizers;
using static TorchSharp.torch;
using Tuner.Training.Workloads;

namespace Tuner.Benchmarks;

/// <summary>
/// The engine (BudgetedTrainer, no techniques) against a minimal hand-written TorchSharp loop: same model and seed, same
/// data, batch size, optimizer and number of steps, each ending with one pass over the held-out split. Rounds alternate
/// which side runs first and the ratio is taken per round, so drift on a shared machine hits both sides alike.
/// Reported: median steps/s of each side and the median per-round ratio engine / hand-written (goal: >= 0.97).
/// </summary>
internal static class OverheadBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        string suiteName = Option(args, "--suite") ?? "fashion-mlp";
        int steps = int.Parse(Option(args, "--steps") ?? "400", CultureInfo.InvariantCulture);
        int rounds = int.Parse(Option(args, "--rounds") ?? "7", CultureInfo.InvariantCulture);
        int threads = int.Parse(Option(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
        set_num_threads(threads);

        SuiteSpec suite = SuiteCatalog.Resolve(suiteName);
        using WorkloadData data = await SuiteDataLoader.LoadAsync(suite, new DataStore(DataStore.DefaultRoot(null)), null, CancellationToken.None);
        TrainingConfiguration configuration = suite.Baseline with { EvalEverySamples = long.MaxValue };
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"overhead: suite {suite.Name}, model {suite.DescribedModel}, batch {configuration.BatchSize}, {configuration.Optimizer} lr {configuration.LearningRate}, {steps} steps, {rounds} rounds (+1 warm-up), {threads} thread(s)"));

        var engine = new List<double>();
        var manual = new List<double>();
        var ratios = new List<double>();
        for (int round = 0; round <= rounds; round++)
        {
            double e, m;
            if (round % 2 == 0)
            {
                e = Engine(suite, data, configuration, steps);
                m = Manual(suite, data, configuration, steps);
            }
            else
            {
                m = Manual(suite, data, configuration, steps);
                e = Engine(suite, data, configuration, steps);
            }

            if (round == 0)
            {
                continue; // warm-up: JIT, allocator, caches
            }

            engine.Add(steps / e);
            manual.Add(steps / m);
            ratios.Add(m / e);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  round {round}: engine {steps / e,8:0.0} steps/s   hand-written {steps / m,8:0.0} steps/s   ratio {m / e:0.000}"));
        }

        double ratio = Median(ratios);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median: engine {Median(engine):0.0} steps/s, hand-written {Median(manual):0.0} steps/s, ratio {ratio:0.000} (min {ratios.Min():0.000}, max {ratios.Max():0.000}); goal >= 0.97: {(ratio >= 0.97 ? "met" : "NOT met")}"));
        return ratio >= 0.97 ? 0 : 1;
    }

    private static double Engine(SuiteSpec suite, WorkloadData data, TrainingConfiguration configuration, int steps)
    {
        var request = new TrainingRequest
        {
            ModelFactory = () => ModelFactory.Create(suite.DescribedModel, data.Train.SampleShape, data.Train.ClassCount),
            Train = data.Train,
            Eval = data.Validation,
            Configuration = configuration,
            Budget = Budget.Steps(steps),
            Target = suite.Target.Unreachable,
            Seed = 1,
        };
        var watch = Stopwatch.StartNew();
        TrainingOutcome outcome = BudgetedTrainer.Run(request, null, CancellationToken.None);
        watch.Stop();
        if (outcome.Steps != steps)
        {
            throw new InvalidOperationException($"engine ran {outcome.Steps} steps, expected {steps}");
        }

        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The loop a TorchSharp user would write by hand: shuffled batches, forward, loss, backward, step, one final evaluation.</summary>
    private static double Manual(SuiteSpec suite, WorkloadData data, TrainingConfiguration configuration, int steps)
    {
        var watch = Stopwatch.StartNew();
        using nn.Module<Tensor, Tensor> model = BareLoop.Train(suite.DescribedModel, data.Train, configuration, steps);
        using (no_grad())
        {
            for (long start = 0; start < data.Validation.Count; start += 512)
            {
                using DisposeScope scope = NewDisposeScope();
                long length = Math.Min(512, data.Validation.Count - start);
                Tensor logits = model.call(data.Validation.Slice(start, length));
                _ = logits.argmax(1).eq(data.Validation.Labels.narrow(0, start, length)).sum().item<long>();
            }
        }

        watch.Stop();
        return watch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
