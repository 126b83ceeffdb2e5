namespace Tuner.Cli.Tests.Commands;

/// <summary>Every kind of bad input gets one line naming the problem and the fix, exit code 2, and no stack trace.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-cli").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private async Task<string> AssertOneLineErrorAsync(int expectedCode, params string[] args)
    {
        (int code, _, string error) = await CliRunner.RunAsync(_dir, args);
        Assert.Equal(expectedCode, code);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string line = Assert.Single(lines);
        Assert.StartsWith("tuner: error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "results", "runs", "trials.jsonl")), "bad input must not write a record");
        return line;
    }

    [Fact]
    public async Task Run_UnknownSuite_NamesSuiteAndChoices()
    {
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", "nope");
        Assert.Contains("unknown suite 'nope'", line, StringComparison.Ordinal);
        Assert.Contains("digits-mlp", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10q", "unknown budget unit 'q'")]
    [InlineData("-5s", "must be greater than zero")]
    [InlineData("0s", "must be greater than zero")]
    [InlineData("fast", "malformed budget 'fast'")]
    public async Task Run_MalformedBudget_SaysWhatIsWrong(string budget, string expected)
    {
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", "digits-mlp", "--budget", budget);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Contains("30s, 5m, 1h, 500steps, 2epochs or 60000samples", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownSetKey_ListsValidKeys()
    {
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", "digits-mlp", "--set", "learning=0.1");
        Assert.Contains("unknown --set key 'learning'", line, StringComparison.Ordinal);
        Assert.Contains("batch_size", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownTechnique_ListsTechniques()
    {
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", "digits-mlp", "--technique", "turbo");
        Assert.Contains("unknown technique 'turbo'", line, StringComparison.Ordinal);
        Assert.Contains("label_smoothing", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nesterov")]
    [InlineData("adam")]
    public async Task Run_OptimizerGivenAsATechnique_SaysHowToChooseIt(string optimizer)
    {
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", "digits-mlp", "--technique", optimizer);
        Assert.Contains($"'{optimizer}' is an optimizer, not a technique: choose it with --set optimizer={optimizer}", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("optimizer=lion", "unknown optimizer 'lion'")]
    [InlineData("optimizer=adam:beta2=2", "optimizer adam: option beta2='2' is invalid")]
    [InlineData("optimizer=lars:momentum=0.5", "optimizer lars: unknown option 'momentum': valid options are trust")]
    [InlineData("optimizer=sgd:eps=1", "optimizer sgd: unknown option 'eps': it takes no options")]
    public async Task Run_BadOptimizer_NamesTheProblem(string set, string expected)
    {
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", "digits-mlp", "--set", set);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("digits-mlp", "stochastic_depth", "needs a model with residual blocks")]
    [InlineData("digits-mlp", "progressive_resizing", "needs a model that accepts smaller images")]
    [InlineData("digits-resmlp", "channels_last", "needs a model with convolutions")]
    public async Task Run_TechniqueTheSuiteCannotRun_IsRefusedBeforeTraining(string suite, string technique, string need)
    {
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", suite, "--technique", technique);
        Assert.Contains($"technique {technique} does not apply to suite {suite}: it {need}", line, StringComparison.Ordinal);
        Assert.Contains($"tuner list techniques --suite {suite}", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ema", "swa", "techniques ema and swa conflict")]
    [InlineData("cosine", "rex", "techniques cosine and rex conflict")]
    [InlineData("ema", "ema:decay=0.9", "technique ema is given twice")]
    [InlineData("ema:decay=2", "warmup", "technique ema: option decay='2' is invalid: expected a number in [0, 0.999999]")]
    public async Task Run_ConflictingDuplicateOrOutOfRange_IsOneLineBeforeTraining(string first, string second, string expected)
    {
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", "digits-mlp", "--technique", first, "--technique", second);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingSuite_SaysHowToNameOne()
    {
        string line = await AssertOneLineErrorAsync(2, "run");
        Assert.Contains("missing --suite", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_UnknownOption_IsOneLine()
    {
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", "digits-mlp", "--frobnicate");
        Assert.Contains("frobnicate", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CudaWithoutCuda_IsOneLine()
    {
        if (TorchSharp.torch.cuda_is_available())
        {
            return; // on a CUDA machine the request is valid
        }

        string line = await AssertOneLineErrorAsync(2, "run", "--suite", "digits-mlp", "--device", "cuda");
        Assert.Contains("CUDA is not available", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SuiteJsonMissingField_NamesFileAndField()
    {
        string suite = Path.Combine(_dir, "mine.json");
        await File.WriteAllTextAsync(suite, """{ "name": "mine", "data": { "dataset": "digits" }, "model": { "kind": "mlp" }, "budget": "5s" }""");
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", suite);
        Assert.Contains("suite file 'mine.json': missing field 'target'", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a,b,label\n1,2,x\n3,4\n", "expected 3")]
    [InlineData("a,b,label\n1,2,x\n3,oops,y\n", ":3:2: the cell in column 2 is not a number")]
    [InlineData("a,b,label\n1,2,x\n3,4,x\n", "class")]
    public async Task Run_BadCsv_NamesFileLineAndProblem(string csv, string expected)
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "table.csv"), csv);
        string suite = Path.Combine(_dir, "table.json");
        await File.WriteAllTextAsync(suite, """
            { "name": "table", "data": { "format": "csv", "path": "table.csv", "label_column": "label" },
              "model": { "kind": "mlp", "hidden": [8] }, "target": { "value": 0.9 }, "budget": "5s" }
            """);
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", suite);
        Assert.Contains("table.csv", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingDataFile_SaysWhichPath()
    {
        string suite = Path.Combine(_dir, "gone.json");
        await File.WriteAllTextAsync(suite, """
            { "name": "gone", "data": { "format": "csv", "path": "nowhere.csv" },
              "model": { "kind": "mlp" }, "target": { "value": 0.9 }, "budget": "5s" }
            """);
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", suite);
        Assert.Contains("nowhere.csv", line, StringComparison.Ordinal);
        Assert.Contains("not found", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ConflictingOrDuplicateTechnique_IsOneLine()
    {
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", "digits-mlp", "--technique", "warmup", "--technique", "warmup:steps=5");
        Assert.Contains("given twice", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CnnThatPoolsTheImageAway_IsOneLineBeforeTraining()
    {
        string suite = Path.Combine(_dir, "deep.json");
        await File.WriteAllTextAsync(suite, """
            { "name": "deep", "data": { "dataset": "digits", "image_shape": [1, 8, 8] },
              "model": { "kind": "cnn", "channels": [8, 8, 8, 8], "hidden": [16] }, "target": { "value": 0.9 }, "budget": "5s" }
            """);
        string line = await AssertOneLineErrorAsync(2, "run", "--suite", suite);
        Assert.Contains("suite 'deep': model cnn", line, StringComparison.Ordinal);
        Assert.Contains("model.channels", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--launcher pbs", "--launcher 'pbs' is unknown: use local (this machine) or slurm")]
    [InlineData("--partition gpu", "--partition is a Slurm option: add --launcher slurm")]
    [InlineData("--launcher slurm --gpus-per-task 2", "--gpus-per-task 2 is invalid: use 0 or 1")]
    [InlineData("--launcher slurm --gpus-per-task 1 --device cpu", "would leave the GPU idle")]
    [InlineData("--launcher slurm --workers 2 --max-running 3", "--max-running 3 is invalid: use a whole number from 1 to --workers (2)")]
    [InlineData("--launcher slurm --job-time 30s", "--job-time 30s is too short")]
    [InlineData("--launcher slurm --partition a;b", "--partition 'a;b' is not a Slurm name")]
    [InlineData("--launcher slurm --sbatch-arg=--array=1-9", "tuner sets --array itself")]
    [InlineData("--launcher slurm --sbatch-arg=--export=NONE", "tuner sets --export itself")]
    [InlineData("--launcher slurm", "--launcher slurm needs a PostgreSQL store that every node reaches")]
    public async Task Search_BadLauncherOptions_OneLineBeforeAnythingRuns(string options, string expected)
    {
        string line = await AssertOneLineErrorAsync(2, ["search", "--suite", "digits-mlp", "--trials", "2", .. options.Split(' ')]);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "results", "studies.db")), "bad input must not create a store");
    }

    [Fact]
    public async Task Search_NoSlurmCommands_OneLineNamingThem()
    {
        string? before = Environment.GetEnvironmentVariable("TUNER_SLURM_BIN");
        Environment.SetEnvironmentVariable("TUNER_SLURM_BIN", Path.Combine(_dir, "no-slurm-here"));
        try
        {
            string line = await AssertOneLineErrorAsync(2, "search", "--suite", "digits-mlp", "--trials", "2", "--launcher", "slurm", "--storage", "postgres://u:pw@127.0.0.1:1/db");
            Assert.Contains("needs Slurm's sbatch", line, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("TUNER_SLURM_BIN", before);
        }
    }

    [Theory]
    [InlineData("launch --study s --storage postgres://u@h/db", "tuner launch needs --launcher slurm")]
    [InlineData("launch --launcher slurm", "tuner launch starts workers for a study with --study NAME and --storage")]
    [InlineData("launch --study s --storage results/studies.db --launcher slurm", "tuner launch needs a PostgreSQL store")]
    [InlineData("launch --study s --storage postgres://u@h/db --launcher slurm --budget 5s", "takes the budget and target from the study")]
    public async Task Launch_BadInput_OneLine(string args, string expected)
    {
        string line = await AssertOneLineErrorAsync(2, args.Split(' '));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
