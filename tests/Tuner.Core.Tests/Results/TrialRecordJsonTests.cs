using System.Text.Json;
using Tuner.Core.Configuration;
using Tuner.Core.Results;
using Tuner.Core.Trials;

namespace Tuner.Core.Tests.Results;

public sealed class TrialRecordJsonTests
{
    [Fact]
    public void Deserialize_SerializedRecord_KeepsEveryField()
    {
        TrialRecord record = TrialRecords.Full();

        TrialRecord back = TrialRecordJson.Deserialize(TrialRecordJson.Serialize(record));

        TrialRecords.AssertSame(record, back);
    }

    [Fact]
    public void Deserialize_SerializedRecordWithoutTechniques_KeepsEveryField()
    {
        TrialRecord record = TrialRecords.Full() with { Configuration = new TrainingConfiguration { LearningRate = 0.5 } };

        TrialRecord back = TrialRecordJson.Deserialize(TrialRecordJson.Serialize(record));

        TrialRecords.AssertSame(record, back);
    }

    [Fact]
    public void Deserialize_NullOptionalFields_StayNull()
    {
        TrialRecord record = TrialRecords.Full(status: TrialStatus.Failed) with
        {
            TimeToTargetSeconds = null,
            StepsToTarget = null,
            SamplesToTarget = null,
            CensoredAtSeconds = null,
            BestMetric = null,
            FinalMetric = null,
            FinalTrainLoss = null,
            FailureReason = null,
            Curve = [],
            TechniqueTrace = [],
            Environment = TrialRecords.Full().Environment with { GitCommit = null, MachineName = null },
        };

        string json = TrialRecordJson.Serialize(record);
        TrialRecord back = TrialRecordJson.Deserialize(json);

        TrialRecords.AssertSame(record, back);
        Assert.Contains("\"time_to_target_seconds\":null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_UsesSnakeCaseNamesAndStatusAsString()
    {
        string json = TrialRecordJson.Serialize(TrialRecords.Full(status: TrialStatus.NotReached));

        using JsonDocument document = JsonDocument.Parse(json);
        JsonElement root = document.RootElement;
        Assert.Equal("not_reached", root.GetProperty("status").GetString());
        Assert.Equal(TrialRecord.CurrentSchemaVersion, root.GetProperty("schema_version").GetInt32());
        Assert.Equal(4.25, root.GetProperty("time_to_target_seconds").GetDouble());
        Assert.Equal(536870912L, root.GetProperty("peak_rss_bytes").GetInt64());
        Assert.Equal(0.0123, root.GetProperty("configuration").GetProperty("learning_rate").GetDouble());
        Assert.Equal(11, root.GetProperty("configuration").GetProperty("eval_every_samples").GetInt32());
        Assert.Equal(640, root.GetProperty("curve")[1].GetProperty("samples").GetInt64());
        Assert.Equal("0.107.0", root.GetProperty("environment").GetProperty("torch_sharp_version").GetString());
        Assert.DoesNotContain("\"RunId\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', json);
    }

    [Theory]
    [InlineData(TrialStatus.Reached, "reached")]
    [InlineData(TrialStatus.NotReached, "not_reached")]
    [InlineData(TrialStatus.Diverged, "diverged")]
    [InlineData(TrialStatus.Failed, "failed")]
    public void Serialize_EachStatus_IsItsSnakeCaseName(TrialStatus status, string text)
    {
        string json = TrialRecordJson.Serialize(TrialRecords.Full(status: status));

        Assert.Contains($"\"status\":\"{text}\"", json, StringComparison.Ordinal);
        Assert.Equal(status, TrialRecordJson.Deserialize(json).Status);
    }

    [Fact]
    public void Serialize_TechniqueOptionKeys_AreKeptVerbatim()
    {
        TrialRecord record = TrialRecords.Full() with
        {
            Configuration = new TrainingConfiguration
            {
                Techniques = [new TechniqueSpec("grad_clip", new Dictionary<string, string> { ["maxNorm"] = "2" })],
            },
        };

        string json = TrialRecordJson.Serialize(record);

        Assert.Contains("\"maxNorm\":\"2\"", json, StringComparison.Ordinal);
        Assert.Equal(record.Configuration, TrialRecordJson.Deserialize(json).Configuration);
    }

    [Fact]
    public void Deserialize_JsonNull_Throws()
    {
        Assert.Throws<JsonException>(() => TrialRecordJson.Deserialize("null"));
    }
}
