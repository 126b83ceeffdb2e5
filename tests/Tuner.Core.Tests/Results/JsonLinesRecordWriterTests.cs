using System.Text.Json;
using Tuner.Core.Errors;
using Tuner.Core.Results;
using Tuner.Core.Trials;

namespace Tuner.Core.Tests.Results;

public sealed class JsonLinesRecordWriterTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tuner-core-tests-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void ResolvePath_NoOut_IsResultsRunsTrialsJsonlUnderBase()
    {
        Assert.Equal(Path.Combine(_dir, "results", "runs", "trials.jsonl"), JsonLinesRecordWriter.ResolvePath(null, _dir));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ResolvePath_EmptyOut_IsAnErrorNotTheDefault(string outOption)
    {
        var ex = Assert.Throws<TunerInputException>(() => JsonLinesRecordWriter.ResolvePath(outOption, _dir));
        OneLineAssert.Message(ex, "--out is empty");
    }

    [Theory]
    [InlineData("my.jsonl")]
    [InlineData("MY.JSONL")]
    [InlineData("sub/dir/my.jsonl")]
    public void ResolvePath_JsonlFile_IsUsedAsIsRelativeToBase(string outOption)
    {
        Assert.Equal(Path.GetFullPath(Path.Combine(_dir, outOption)), JsonLinesRecordWriter.ResolvePath(outOption, _dir));
    }

    [Theory]
    [InlineData("out")]
    [InlineData("out/")]
    [InlineData("out.json")]
    public void ResolvePath_Folder_GetsTrialsJsonl(string outOption)
    {
        string expected = Path.Combine(Path.GetFullPath(Path.Combine(_dir, outOption)), JsonLinesRecordWriter.DefaultFileName);

        Assert.Equal(expected, JsonLinesRecordWriter.ResolvePath(outOption, _dir));
    }

    [Fact]
    public void ResolvePath_AbsolutePath_IgnoresBase()
    {
        string absolute = Path.Combine(Path.GetTempPath(), "elsewhere", "x.jsonl");

        Assert.Equal(absolute, JsonLinesRecordWriter.ResolvePath(absolute, _dir));
    }

    [Fact]
    public void ResolvePath_ParentSegments_AreNormalised()
    {
        Assert.Equal(Path.Combine(Path.GetDirectoryName(_dir)!, "r.jsonl"), JsonLinesRecordWriter.ResolvePath("../r.jsonl", _dir));
    }

    [Fact]
    public async Task AppendAsync_TwoRecords_WritesTwoCompleteParseableLines()
    {
        string path = Path.Combine(_dir, "nested", "deeper", "trials.jsonl");
        var writer = new JsonLinesRecordWriter(path);
        TrialRecord first = TrialRecords.Full("run-1", TrialStatus.Reached);
        TrialRecord second = TrialRecords.Full("run-2", TrialStatus.Diverged);

        await writer.AppendAsync(first, CancellationToken.None);
        await writer.AppendAsync(second, CancellationToken.None);

        string text = await File.ReadAllTextAsync(path);
        Assert.EndsWith("\n", text, StringComparison.Ordinal);
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        TrialRecords.AssertSame(first, TrialRecordJson.Deserialize(lines[0]));
        TrialRecords.AssertSame(second, TrialRecordJson.Deserialize(lines[1]));
    }

    [Fact]
    public async Task AppendAsync_ExistingFile_KeepsEarlierLines()
    {
        Directory.CreateDirectory(_dir);
        string path = Path.Combine(_dir, "trials.jsonl");
        string earlier = TrialRecordJson.Serialize(TrialRecords.Full("earlier"));
        await File.WriteAllTextAsync(path, earlier + "\n\n");
        var writer = new JsonLinesRecordWriter(path);

        await writer.AppendAsync(TrialRecords.Full("later"), CancellationToken.None);

        Assert.Equal(["earlier", "later"], TrialRecordJson.ReadAll(path).Select(r => r.RunId));
        Assert.All(File.ReadLines(path).Where(l => l.Length > 0), l => JsonDocument.Parse(l).Dispose());
    }

    [Fact]
    public async Task AppendAsync_Cancelled_Throws()
    {
        var writer = new JsonLinesRecordWriter(Path.Combine(_dir, "c.jsonl"));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.AppendAsync(TrialRecords.Full(), cts.Token));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Constructor_BlankPath_Throws(string path)
    {
        Assert.Throws<ArgumentException>(() => new JsonLinesRecordWriter(path));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
