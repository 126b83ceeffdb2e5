using System.Text.Json.Nodes;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Core.Workloads;
using Tuner.Data;
using Tuner.Suites.Loading;
using Tuner.Suites.Specs;
using Tuner.Training.Models;
using Tuner.Training.Workloads;

namespace Tuner.Suites.Tests.Specs;

/// <summary>The text suites (bible-lm, spam-encoder): their files, their data and the one-line errors of issue 14's bad input.</summary>
public sealed class TransformerSuiteTests : IDisposable
{
    private const string FileName = "lm.json";
    private readonly TempDirectory _dir = new();

    private static JsonObject Language() => new()
    {
        ["name"] = "lm",
        ["data"] = new JsonObject { ["dataset"] = "bible-kjv", ["sequence_length"] = 32, ["max_eval_sequences"] = 16, ["max_train_sequences"] = 64 },
        ["model"] = new JsonObject { ["kind"] = "transformer", ["vocabulary"] = 128, ["context"] = 32, ["width"] = 16, ["layers"] = 1, ["heads"] = 2 },
        ["target"] = new JsonObject { ["metric"] = "bits_per_char", ["value"] = 2.5 },
        ["budget"] = "10s",
        ["baseline"] = new JsonObject { ["optimizer"] = "adamw", ["lr"] = 0.001, ["batch_size"] = 8, ["eval_samples"] = 64 },
    };

    private string Write(JsonNode json) => _dir.WriteText(FileName, json.ToJsonString());

    [Fact]
    public void Builtin_TextSuites_AreTransformersOnTokenSequencesWithTheirMetricAndDirection()
    {
        SuiteSpec lm = SuiteCatalog.Resolve("bible-lm");
        SuiteSpec spam = SuiteCatalog.Resolve("spam-encoder");

        Assert.Equal(("transformer", "bits_per_char", true), (lm.DescribedModel.Kind, lm.Target.Metric, lm.Target.LowerIsBetter));
        Assert.Equal(("encoder", "accuracy", false), (spam.DescribedModel.Kind, spam.Target.Metric, spam.Target.LowerIsBetter));
        Assert.Equal(WorkloadFacts.TokenSequences | WorkloadFacts.BuiltInModel, lm.Facts);
        Assert.Equal(WorkloadFacts.TokenSequences | WorkloadFacts.BuiltInModel, spam.Facts);
        Assert.Equal("bits_per_char <= 2.6", lm.Target.ToString());
        Assert.True(SuiteCatalog.Resolve("digits-mlp").Facts.HasFlag(WorkloadFacts.RealInputs));
    }

    [Fact]
    public void Load_LanguageModelFile_ReadsEveryTransformerField()
    {
        JsonObject json = Language();
        json["model"]!["tie_weights"] = false;
        json["model"]!["attention"] = "explicit";

        SuiteSpec suite = SuiteFile.Load(Write(json));

        Assert.Equal((128, 32, 16, 1, 2, false, "explicit"), (suite.DescribedModel.Vocabulary, suite.DescribedModel.Context, suite.DescribedModel.Width, suite.DescribedModel.Layers, suite.DescribedModel.Heads, suite.DescribedModel.TieWeights, suite.DescribedModel.Attention));
        Assert.Equal((32, 16, 64), (suite.DescribedData.SequenceLength, suite.DescribedData.MaxEvalSequences, suite.DescribedData.MaxTrainSequences));
    }

    [Theory]
    [InlineData("data", "sequence_length", "64", "data.sequence_length 64 is above model.context 32")]
    [InlineData("model", "heads", "3", "model.width 16 does not divide into 3 heads")]
    [InlineData("model", "attention", "\"flash\"", "unknown model.attention 'flash': use fused or explicit")]
    [InlineData("model", "hidden", "[64]", "field 'model.hidden' does not apply to model kind 'transformer'")]
    [InlineData("model", "width", "0", "field 'width' must be a whole number from 1 to 8192")]
    [InlineData("target", "metric", "\"bleu\"", "unknown target metric 'bleu'")]
    [InlineData("target", "value", "0", "is not a valid bits_per_char target")]
    [InlineData("data", "image_shape", "[1, 4, 8]", "field 'data.image_shape' does not apply to dataset 'bible-kjv'")]
    [InlineData("data", "validation_fraction", "0.1", "field 'data.validation_fraction' does not apply to dataset 'bible-kjv'")]
    public void Load_BadTransformerSuite_IsOneLineNamingTheFieldAndTheFix(string section, string key, string value, string expected)
    {
        JsonObject json = Language();
        json[section]![key] = JsonNode.Parse(value);

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", expected);
    }

    [Fact]
    public void Load_PerplexityBelowOne_IsOnTheWrongSide()
    {
        JsonObject json = Language();
        json["target"] = new JsonObject { ["metric"] = "perplexity", ["value"] = 0.5 };

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, "not a valid perplexity target", "give a perplexity above 1");
    }

    [Fact]
    public void Load_SequenceOptionsOnImageData_AreRefused()
    {
        JsonObject json = Language();
        json["data"] = new JsonObject { ["dataset"] = "digits", ["sequence_length"] = 8 };

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, "field 'data.sequence_length' applies only to the text datasets");
    }

    [Fact]
    public async Task LoadAsync_Bible_IsConsecutiveWindowsOfTheThreeBookRanges()
    {
        SuiteSpec suite = SuiteFile.Load(Write(Language()));

        using WorkloadData data = await SuiteDataLoader.LoadAsync(suite, RealData.Store, null, CancellationToken.None);

        Assert.Equal((64L, 16L, 16L), (data.Train.Count, data.Validation.Count, data.Test.Count));
        Assert.Equal([32L], data.Train.SampleShape);
        Assert.Equal(128, data.Train.TokenVocabulary);
        Assert.Equal("\nGenesis 1\n\n  1 In the beginning", Text(data.Train, 0));
        Assert.StartsWith("Romans 1", Text(data.Validation, 0), StringComparison.Ordinal);
        Assert.StartsWith("Hebrews 1", Text(data.Test, 0), StringComparison.Ordinal);
        // The label of each position is the next character.
        long[] x = data.Train.Features.narrow(0, 0, 1).to_type(TorchSharp.torch.ScalarType.Int64).data<long>().ToArray();
        long[] y = data.Train.Labels.narrow(0, 0, 1).data<long>().ToArray();
        Assert.Equal(x[1..], y[..^1]);
    }

    [Theory]
    [InlineData("vocabulary", 64, "vocabulary mismatch: dataset 'bible-kjv' has 128 token ids but model.vocabulary is 64: set model.vocabulary to 128")]
    [InlineData("vocabulary", 200, "vocabulary mismatch: the language model predicts 200 tokens but the data has 128: set model.vocabulary to 128")]
    public async Task LoadAsync_VocabularyMismatch_IsOneLine(string key, int value, string expected)
    {
        JsonObject json = Language();
        json["model"]![key] = value;
        SuiteSpec suite = SuiteFile.Load(Write(json));

        Exception ex = await Record.ExceptionAsync(async () =>
        {
            using WorkloadData data = await SuiteDataLoader.LoadAsync(suite, RealData.Store, null, CancellationToken.None);
            using var model = ModelFactory.Create(suite.DescribedModel, data.Train.SampleShape, data.Train.ClassCount);
        });

        Assert.NotNull(ex);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public async Task LoadAsync_TransformerOnImages_AndMlpOnText_AreOneLine()
    {
        JsonObject onImages = Language();
        onImages["data"] = new JsonObject { ["dataset"] = "digits" };
        JsonObject onText = Language();
        onText["model"] = new JsonObject { ["kind"] = "mlp", ["hidden"] = new JsonArray(16) };

        var images = await Assert.ThrowsAsync<TunerInputException>(() => SuiteDataLoader.LoadAsync(SuiteFile.Load(Write(onImages)), RealData.Store, null, CancellationToken.None));
        var text = await Assert.ThrowsAsync<TunerInputException>(() => SuiteDataLoader.LoadAsync(SuiteFile.Load(Write(onText)), RealData.Store, null, CancellationToken.None));

        OneLineAssert.Message(images, "model kind 'transformer' reads text (token ids) but data 'digits' are not text");
        OneLineAssert.Message(text, "dataset 'bible-kjv' is text (token ids), which model kind 'mlp' cannot read");
    }

    [Fact]
    public async Task LoadAsync_SpamAssassin_IsStratifiedSubjectAndBodyBytes()
    {
        SuiteSpec suite = SuiteCatalog.Resolve("spam-encoder");

        using WorkloadData data = await SuiteDataLoader.LoadAsync(suite, RealData.Store, null, CancellationToken.None);

        Assert.Equal(6046L, data.Train.Count + data.Validation.Count + data.Test.Count);
        Assert.Equal([256L], data.Train.SampleShape);
        Assert.Equal((2, 256), (data.Train.ClassCount, data.Train.TokenVocabulary));
        double SpamShare(TorchSharp.torch.Tensor labels) => labels.to_type(TorchSharp.torch.ScalarType.Float32).mean().item<float>();
        Assert.Equal(1896.0 / 6046, SpamShare(data.Train.Labels), 0.01);
        Assert.Equal(1896.0 / 6046, SpamShare(data.Test.Labels), 0.01);
    }

    [Fact]
    public void MessageBytes_AreTheSubjectThenTheBody_WithoutRoutingHeaders()
    {
        byte[] bytes = SuiteDataLoader.MessageBytes("Received: from list.example.org\nSubject: Cheap pills\nTo: x@y\n\nBuy now\r\n");

        Assert.Equal("Cheap pills\nBuy now\n", System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void ModelFactory_TransformerShapesAndFlops_MatchTheBuiltModels()
    {
        foreach (ModelSpec spec in new[]
        {
            new ModelSpec("transformer", [], []) { Vocabulary = 128, Context = 32, Width = 16, Layers = 2, Heads = 2 },
            new ModelSpec("transformer", [], []) { Vocabulary = 128, Context = 32, Width = 16, Layers = 1, Heads = 4, TieWeights = false },
            new ModelSpec("encoder", [], []) { Vocabulary = 256, Context = 64, Width = 16, Layers = 2, Heads = 2 },
        })
        {
            int classes = spec.Kind == "encoder" ? 2 : 128;
            using var model = ModelFactory.Create(spec, [32], classes);
            string[] built = [.. model.parameters().Select(p => string.Join("x", p.shape))];
            string[] planned = [.. ModelFactory.ParameterShapes(spec, [32], classes).Select(p => string.Join("x", p))];

            Assert.Equal(planned, built);
            double perToken = 6.0 * ((spec.Layers * ((12.0 * 16 * 16) + (2.0 * 32 * 16))) + (spec.Kind == "transformer" ? 128.0 * 16 : 0));
            Assert.Equal(32 * perToken, ModelFactory.TrainingFlopsPerSample(spec, [32], classes), 6);
        }
    }

    private static string Text(Tuner.Training.Data.TensorDataset split, long row) =>
        new([.. split.Features.narrow(0, row, 1).to_type(TorchSharp.torch.ScalarType.Int64).data<long>().ToArray().Select(b => (char)b)]);

    public void Dispose() => _dir.Dispose();
}
