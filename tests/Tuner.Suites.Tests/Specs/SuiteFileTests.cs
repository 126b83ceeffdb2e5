using Tuner.Training.Models;
using System.Text.Json.Nodes;
using Tuner.Core.Budgets;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using Tuner.Suites.Specs;

namespace Tuner.Suites.Tests.Specs;

public sealed class SuiteFileTests : IDisposable
{
    private const string FileName = "my-suite.json";
    private readonly TempDirectory _dir = new();

    public static TheoryData<string> BuiltinFiles() =>
        [.. Directory.EnumerateFiles(RepositoryPaths.BuiltinSuites, "*.json").Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal)];

    public static TheoryData<string> RequiredFields() => ["name", "data", "model", "target", "budget"];

    private static JsonObject Valid() => new()
    {
        ["name"] = "my-suite",
        ["description"] = "a test suite",
        ["data"] = new JsonObject { ["format"] = "csv", ["path"] = "data/table.csv", ["label_column"] = "species", ["test_fraction"] = 0.25, ["split_seed"] = 3 },
        ["model"] = new JsonObject { ["kind"] = "mlp", ["hidden"] = new JsonArray(32, 16) },
        ["target"] = new JsonObject { ["metric"] = "accuracy", ["value"] = 0.9 },
        ["budget"] = "2epochs",
        ["baseline"] = new JsonObject { ["optimizer"] = "adam", ["lr"] = 0.003, ["batch_size"] = 16, ["eval_samples"] = 80 },
    };

    private string Write(JsonNode json) => _dir.WriteText(FileName, json.ToJsonString());

    [Theory]
    [MemberData(nameof(BuiltinFiles))]
    public void Load_BuiltinFile_GivesAValidSuiteNamedAfterTheFile(string fileName)
    {
        SuiteSpec suite = SuiteFile.Load(Path.Combine(RepositoryPaths.BuiltinSuites, fileName));

        Assert.Equal(Path.GetFileNameWithoutExtension(fileName), suite.Name);
        Assert.NotNull(suite.DescribedData.Dataset);
        Assert.Contains(suite.DescribedModel.Kind, ModelSpec.Kinds);
        Assert.InRange(suite.Target.Value, suite.Target.LowerIsBetter ? 1.0 : 0.5, suite.Target.LowerIsBetter ? 8.0 : 1.0);
        Assert.Equal(BudgetUnit.WallClock, suite.DefaultBudget.Unit);
        Assert.Empty(suite.Baseline.Techniques);
        Assert.False(string.IsNullOrWhiteSpace(suite.Description));
    }

    [Fact]
    public void Builtin_Catalog_HoldsEveryBuiltinFileOfTheSourceTree()
    {
        IEnumerable<string> sourceNames = Directory.EnumerateFiles(RepositoryPaths.BuiltinSuites, "*.json")
            .Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

        Assert.Equal(sourceNames, SuiteCatalog.Builtin().Select(s => s.Name));
    }

    [Fact]
    public void Load_DigitsMlp_ReadsEveryField()
    {
        SuiteSpec suite = SuiteFile.Load(Path.Combine(RepositoryPaths.BuiltinSuites, "digits-mlp.json"));

        Assert.Equal("digits", suite.DescribedData.Dataset);
        Assert.Equal([1, 8, 8], suite.DescribedData.ImageShape);
        Assert.Equal(0.2, suite.DescribedData.TestFraction);
        Assert.Equal([64], suite.DescribedModel.Hidden);
        Assert.Equal(0.97, suite.Target.Value);
        Assert.Equal(Budget.Seconds(10), suite.DefaultBudget);
        Assert.Equal("sgd", suite.Baseline.Optimizer);
        Assert.Equal(0.01, suite.Baseline.LearningRate);
        Assert.Equal(32, suite.Baseline.BatchSize);
        Assert.Equal(320, suite.Baseline.EvalEverySamples);
    }

    [Fact]
    public void Load_UserFile_ReadsEveryFieldAndResolvesPathsRelativeToTheFile()
    {
        string path = Write(Valid());

        SuiteSpec suite = SuiteFile.Load(path);

        Assert.Equal("my-suite", suite.Name);
        Assert.Equal("a test suite", suite.Description);
        Assert.Equal("csv", suite.DescribedData.Format);
        Assert.Equal(Path.Combine(_dir.Path, "data", "table.csv"), suite.DescribedData.Path);
        Assert.Equal("species", suite.DescribedData.LabelColumn);
        Assert.Equal(0.25, suite.DescribedData.TestFraction);
        Assert.Equal(3, suite.DescribedData.SplitSeed);
        Assert.Equal([32, 16], suite.DescribedModel.Hidden);
        Assert.Equal(0.9, suite.Target.Value);
        Assert.Equal(Budget.Epochs(2), suite.DefaultBudget);
        Assert.Equal("adam", suite.Baseline.Optimizer);
        Assert.Equal(0.003, suite.Baseline.LearningRate);
        Assert.Equal(16, suite.Baseline.BatchSize);
        Assert.Equal(80, suite.Baseline.EvalEverySamples);
        Assert.Equal(path, suite.SourcePath);
    }

    [Fact]
    public void Load_RelativeSuitePath_ResolvesDataAgainstTheSuiteFolderNotTheWorkingDirectory()
    {
        JsonObject json = Valid();
        json["data"]!["path"] = "../shared/t.csv";
        _dir.WriteText(Path.Combine("suites", FileName), json.ToJsonString());
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(_dir.Path, "suites", FileName));

        SuiteSpec suite = SuiteCatalog.Resolve(relative);

        Assert.Equal(Path.Combine(_dir.Path, "shared", "t.csv"), suite.DescribedData.Path);
    }

    [Fact]
    public void Load_IdxFormat_ResolvesAllFourPaths()
    {
        JsonObject json = Valid();
        json["data"] = new JsonObject
        {
            ["format"] = "idx", ["train_images"] = "a", ["train_labels"] = "b", ["test_images"] = "c", ["test_labels"] = "/abs/d",
        };

        SuiteSpec suite = SuiteFile.Load(Write(json));

        Assert.Equal(Path.Combine(_dir.Path, "a"), suite.DescribedData.TrainImages);
        Assert.Equal(Path.Combine(_dir.Path, "b"), suite.DescribedData.TrainLabels);
        Assert.Equal(Path.Combine(_dir.Path, "c"), suite.DescribedData.TestImages);
        Assert.Equal("/abs/d", suite.DescribedData.TestLabels);
    }

    [Fact]
    public void Load_NoBaseline_UsesTheDefaultConfiguration()
    {
        JsonObject json = Valid();
        json.Remove("baseline");

        SuiteSpec suite = SuiteFile.Load(Write(json));

        Assert.Equal(new Tuner.Core.Configuration.TrainingConfiguration(), suite.Baseline);
    }

    [Fact]
    public void Load_CommentsAndTrailingCommas_AreAllowed()
    {
        string json = Valid().ToJsonString();
        string text = json[..^1] + ", // trailing\n}";
        string path = _dir.WriteText(FileName, "// my suite\n" + text);

        Assert.Equal("my-suite", SuiteFile.Load(path).Name);
    }

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void Load_MissingRequiredField_ThrowsOneLineErrorNamingFieldAndFile(string field)
    {
        JsonObject json = Valid();
        json.Remove(field);
        string path = Write(json);

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(path));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", $"missing field '{field}'");
    }

    [Theory]
    [InlineData("name", "42", "field 'name' must be a string")]
    [InlineData("name", "\"has space\"", "field 'name' must use letters")]
    [InlineData("data", "\"digits\"", "field 'data' must be an object")]
    [InlineData("budget", "30", "field 'budget' must be a string")]
    [InlineData("baseline", "[1]", "field 'baseline' must be an object")]
    public void Load_FieldOfWrongType_ThrowsOneLineErrorNamingTheField(string field, string rawValue, string fragment)
    {
        JsonObject json = Valid();
        json[field] = JsonNode.Parse(rawValue);

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", fragment);
    }

    [Fact]
    public void Load_BadBudget_ThrowsOneLineErrorNamingBudgetAndValue()
    {
        JsonObject json = Valid();
        json["budget"] = "10q";

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", "field 'budget'", "'10q'");
    }

    [Fact]
    public void Load_UnknownModelKind_ThrowsOneLineErrorListingKinds()
    {
        JsonObject json = Valid();
        json["model"]!["kind"] = "rnn";

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", "unknown model kind 'rnn'", "mlp", "cnn", "transformer", "encoder");
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(0.0)]
    [InlineData(-0.2)]
    public void Load_TargetValueOutsideZeroOne_ThrowsOneLineErrorWithTheValue(double value)
    {
        JsonObject json = Valid();
        json["target"]!["value"] = value;

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", "field 'target.value'", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Load_MissingTargetValue_ThrowsOneLineError()
    {
        JsonObject json = Valid();
        json["target"] = new JsonObject { ["metric"] = "accuracy" };

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", "missing field 'target.value'");
    }

    [Fact]
    public void Load_LossTarget_IsLowerIsBetter()
    {
        JsonObject json = Valid();
        json["target"] = new JsonObject { ["metric"] = "loss", ["value"] = 0.35 };

        SuiteSpec suite = SuiteFile.Load(Write(json));

        Assert.Equal(new TargetSpec("loss", 0.35), suite.Target);
        Assert.True(suite.Target.LowerIsBetter);
        Assert.Equal("loss <= 0.35", suite.Target.ToString());
    }

    [Theory]
    [InlineData("loss", 0.0, "field 'target.value' 0 is not a valid loss target: give a validation loss above 0")]
    [InlineData("accuracy", 1.5, "field 'target.value' 1.5 is not a valid accuracy target: give an accuracy in (0, 1]")]
    public void Load_TargetOnTheWrongSideForItsMetric_ThrowsOneLineError(string metric, double value, string expected)
    {
        JsonObject json = Valid();
        json["target"] = new JsonObject { ["metric"] = metric, ["value"] = value };

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", expected);
    }

    [Fact]
    public void Load_UnknownTargetMetric_ThrowsOneLineError()
    {
        JsonObject json = Valid();
        json["target"]!["metric"] = "f1";

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", "unknown target metric 'f1'");
    }

    [Fact]
    public void Load_InvalidJson_ThrowsOneLineErrorWithFileAndLine()
    {
        string path = _dir.WriteText(FileName, "{\n  \"name\": \"x\",\n  \"data\": {\n}");

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(path));

        OneLineAssert.Message(ex, FileName, "is not valid JSON", "(line ");
    }

    [Fact]
    public void Load_UnknownBaselineKey_ThrowsOneLineErrorNamingKeyAndValidKeys()
    {
        JsonObject json = Valid();
        json["baseline"]!["lrate"] = 0.1;

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", "field 'baseline'", "'lrate'", "batch_size");
        Assert.DoesNotContain("--set", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_BadBaselineValue_ThrowsOneLineErrorNamingKey()
    {
        JsonObject json = Valid();
        json["baseline"]!["batch_size"] = 0;

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", "field 'baseline'", "batch_size");
    }

    [Theory]
    [InlineData("{\"format\": \"parquet\", \"path\": \"x\"}", "unknown data format 'parquet'")]
    [InlineData("{\"format\": \"csv\"}", "needs \"path\"")]
    [InlineData("{\"format\": \"idx\", \"train_images\": \"a\"}", "data format 'idx' needs")]
    [InlineData("{\"label_column\": \"y\"}", "field 'data' needs \"dataset\"")]
    [InlineData("{\"dataset\": \"digits\", \"test_fraction\": 1.0}", "data.test_fraction")]
    [InlineData("{\"dataset\": \"digits\", \"image_shape\": [1, 8.5, 8]}", "field 'image_shape' must be an array of whole numbers")]
    public void Load_BadData_ThrowsOneLineError(string data, string fragment)
    {
        JsonObject json = Valid();
        json["data"] = JsonNode.Parse(data);

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", fragment);
    }

    [Theory]
    [InlineData("[0]")]
    [InlineData("[64, -1]")]
    public void Load_NonPositiveLayerSize_ThrowsOneLineError(string hidden)
    {
        JsonObject json = Valid();
        json["model"]!["hidden"] = JsonNode.Parse(hidden);

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", "model.hidden");
    }

    [Fact]
    public void Load_TopLevelArray_ThrowsOneLineError()
    {
        string path = _dir.WriteText(FileName, "[1, 2]");

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(path));

        OneLineAssert.Message(ex, $"suite file '{FileName}'", "top level must be an object");
    }

    [Fact]
    public void Load_MissingFile_ThrowsOneLineErrorNamingThePath()
    {
        string path = _dir.File("nope.json");

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(path));

        OneLineAssert.Message(ex, path, "not found");
    }

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("", "budjet", "unknown key 'budjet' (did you mean 'budget'?)")]
    [InlineData("data", "pathh", "field 'data': unknown key 'pathh' (did you mean 'path'?)")]
    [InlineData("model", "hiden", "field 'model': unknown key 'hiden' (did you mean 'hidden'?)")]
    [InlineData("target", "metrik", "unknown key 'metrik'")]
    public void Load_UnknownOrMisspeltKey_IsAnErrorNamingItAndTheNearestKnownOne(string section, string key, string expected)
    {
        JsonObject json = Valid();
        JsonObject where = section.Length == 0 ? json : json[section]!.AsObject();
        where[key] = 1;

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json)));

        OneLineAssert.Message(ex, expected);
    }

    [Theory]
    [InlineData("dataset", "'dataset' and 'format' exclude each other")]
    [InlineData("train_images", "field 'data.train_images' does not apply to format 'csv': remove it")]
    public void Load_ConflictingDataKeys_IsAnError(string extra, string expected)
    {
        JsonObject json = Valid();
        json["data"]![extra] = extra == "dataset" ? "digits" : "x.idx";

        OneLineAssert.Message(Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json))), expected);
    }

    [Fact]
    public void Load_DuplicateKey_IsAnErrorNotTheLastOneWinning()
    {
        string text = Valid().ToJsonString().Replace("\"budget\":\"2epochs\"", "\"budget\":\"2epochs\",\"budget\":\"9epochs\"", StringComparison.Ordinal);

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(_dir.WriteText(FileName, text)));

        OneLineAssert.Message(ex, "a key is given twice ('budget')");
    }

    [Theory]
    [InlineData("mlp", "[65536, 65536]", "the model would have at least 4.295e9 weights between its layers, more than 2.5e8")]
    [InlineData("cnn", "[4096, 4096, 4096]", "more than 2.5e8")]
    public void Load_AModelTooLargeToEverTrainHere_IsAnErrorBeforeAnyAllocation(string kind, string sizes, string expected)
    {
        JsonObject json = Valid();
        json["model"] = JsonNode.Parse($$"""{ "kind": "{{kind}}", "{{(kind == "cnn" ? "channels" : "hidden")}}": {{sizes}} }""");

        OneLineAssert.Message(Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json))), expected);
    }

    [Fact]
    public void Load_FractionalBlocks_IsAnErrorNotTruncated()
    {
        JsonObject json = Valid();
        json["model"] = JsonNode.Parse("""{ "kind": "resmlp", "hidden": [16], "blocks": 2.5 }""");

        OneLineAssert.Message(Assert.Throws<TunerInputException>(() => SuiteFile.Load(Write(json))), "'model.blocks' must be a whole number");
    }
}
