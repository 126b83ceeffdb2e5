using System.Globalization;
using System.Text;
using Tuner.Core.Budgets;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Data;
using Tuner.Suites.Loading;
using Tuner.Training.Models;
using Tuner.Suites.Specs;
using Tuner.Training.Engine;
using Tuner.Training.Workloads;

namespace Tuner.Suites.Tests.Loading;

/// <summary>
/// A user's own CSV suite: the real digits table written as a CSV with word labels in the first column, in a data/ folder
/// next to a suites/ folder holding the suite JSON, which names the CSV by a path relative to itself.
/// </summary>
public sealed class CsvSuiteEndToEndTests : IDisposable
{
    private static readonly string[] Words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    private readonly TempDirectory _dir = new();
    private readonly NumericTable _digits = RealData.DigitsTable();

    public CsvSuiteEndToEndTests() => TorchSharp.torch.set_num_threads(1);

    private string WriteSuite(string csvPath = "../data/digits-words.csv")
    {
        var csv = new StringBuilder("digit");
        for (int j = 0; j < _digits.FeatureCount; j++)
        {
            csv.Append(CultureInfo.InvariantCulture, $",px{j}");
        }

        csv.Append('\n');
        for (int r = 0; r < _digits.Rows; r++)
        {
            csv.Append(Words[_digits.Labels[r]]);
            foreach (float v in _digits.Row(r))
            {
                csv.Append(',').Append(v.ToString(CultureInfo.InvariantCulture));
            }

            csv.Append('\n');
        }

        _dir.WriteText(Path.Combine("data", "digits-words.csv"), csv.ToString());
        return _dir.WriteText(Path.Combine("suites", "digit-words.json"), $$"""
            {
              "name": "digit-words",
              "data": { "format": "csv", "path": "{{csvPath}}", "label_column": "digit", "test_fraction": 0.2, "split_seed": 1 },
              "model": { "kind": "mlp", "hidden": [64] },
              "target": { "metric": "accuracy", "value": 0.9 },
              "budget": "60s",
              "baseline": { "optimizer": "sgd", "lr": 0.01, "batch_size": 32, "momentum": 0.9, "eval_samples": 320 }
            }
            """);
    }

    [Fact]
    public async Task LoadAsync_CsvSuiteWithWordLabels_SplitsAndTrainsToItsTarget()
    {
        SuiteSpec suite = SuiteCatalog.Resolve(WriteSuite());
        using WorkloadData data = await SuiteDataLoader.LoadAsync(suite, RealData.Store, null, CancellationToken.None);

        Assert.Equal(Path.Combine(_dir.Path, "data", "digits-words.csv"), suite.DescribedData.Path);
        Assert.Equal(1797, data.Train.Count + data.Validation.Count + data.Test.Count);
        Assert.InRange(data.Test.Count, 355, 365);
        Assert.InRange(data.Validation.Count, 280, 295);
        Assert.Equal(10, data.Train.ClassCount);
        Assert.Equal([64L], data.Train.SampleShape);

        var request = new TrainingRequest
        {
            ModelFactory = () => ModelFactory.Create(suite.DescribedModel, data.Train.SampleShape, data.Train.ClassCount),
            Train = data.Train,
            Eval = data.Validation,
            Test = data.Test,
            Configuration = suite.Baseline,
            Budget = suite.DefaultBudget,
            Target = suite.Target,
            Seed = 1,
        };
        TrainingOutcome outcome = BudgetedTrainer.Run(request, null, CancellationToken.None);

        Assert.Equal(TrialStatus.Reached, outcome.Status);
        Assert.True(outcome.FinalMetric >= 0.9);
        Assert.True(outcome.Steps < 1000, $"digits should reach 0.9 in a few epochs, took {outcome.Steps} steps");
    }

    [Fact]
    public async Task LoadAsync_CsvPathRelativeToWorkingDirectoryOnly_IsNotFound()
    {
        SuiteSpec suite = SuiteCatalog.Resolve(WriteSuite("digits-words.csv")); // resolves to suites/digits-words.csv, which does not exist

        var ex = await Assert.ThrowsAsync<TunerInputException>(() => SuiteDataLoader.LoadAsync(suite, RealData.Store, null, CancellationToken.None));

        OneLineAssert.Message(ex, Path.Combine(_dir.Path, "suites", "digits-words.csv"), "not found", "relative to the suite file");
    }

    public void Dispose() => _dir.Dispose();
}
