using System.Globalization;
using Tuner.Core.Results;

namespace Tuner.Reports.Tests;

public sealed class EffectsCsvTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-effects").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static EffectRow Row(string technique, double? speedUp, string? failure = null) => new()
    {
        Suite = "fashion-mlp",
        Technique = technique,
        Family = technique == "baseline" ? string.Empty : "optimization",
        Seeds = 3,
        Reached = 2,
        MedianTimeToTargetSeconds = 6.25,
        MedianStepsToTarget = 3100,
        SpeedUp = speedUp,
        SpeedUpLow = speedUp is null ? null : speedUp - 0.2,
        SpeedUpHigh = speedUp is null ? null : speedUp + 0.2,
        Verdict = "faster",
        SamplesPerSecond = 70123.5,
        StepRateRatio = 0.5,
        MedianBestMetric = 0.8912,
        FailureReason = failure,
        Budget = "30s",
        Threads = 1,
        CpuModel = "AMD EPYC, 2 cores",
        GitCommit = "abc",
    };

    [Fact]
    public void WriteThenRead_RoundTripsEveryColumn()
    {
        string path = Path.Combine(_dir, "e.csv");
        EffectRow[] rows = [Row("baseline", 1.0), Row("ema", 1.7), Row("sam", null, "x, with \"quotes\"")];

        EffectsCsv.Write(path, rows);

        Assert.Equal(rows, EffectsCsv.Read(path));
        Assert.StartsWith(string.Join(",", EffectsCsv.Columns), File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_FormulaLikeText_IsNeutralised()
    {
        string path = Path.Combine(_dir, "inj.csv");
        EffectsCsv.Write(path, [Row("=HYPERLINK(\"http://x\")", 1.2, "@SUM(A1)")]);

        string text = File.ReadAllText(path);
        Assert.DoesNotContain(",=HYPERLINK", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",@SUM", text, StringComparison.Ordinal);
        Assert.Contains("'=HYPERLINK", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_UnderAnotherCulture_IsByteIdentical()
    {
        string invariant = Path.Combine(_dir, "a.csv");
        string german = Path.Combine(_dir, "b.csv");
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            EffectsCsv.Write(invariant, [Row("ema", 1.75)]);
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            EffectsCsv.Write(german, [Row("ema", 1.75)]);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        Assert.Equal(File.ReadAllBytes(invariant), File.ReadAllBytes(german));
        Assert.Contains("1.75", File.ReadAllText(german), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TakesEffectColumnFromTheRows_AndShowsOrderNeedsAndProbe()
    {
        TechniqueInfo[] techniques =
        [
            new("ema", "optimization", "Ema", "EMA of weights.", "Polyak", []) { Order = 720, Probe = "evaluates the average" },
            new("sam", "optimization", "Sam", "SAM.", "Foret", ["ema"]) { Order = 600, Probe = "gradient at w + e" },
            new("stochastic_depth", "model", "StochasticDepth", "Drops blocks.", "Huang", []) { Order = 240, Needs = "residual blocks", Probe = "skips blocks" },
        ];
        EffectRow notApplicable = Row("stochastic_depth", 1.0) with { Seeds = 0, Reached = 0, SpeedUp = null, SpeedUpLow = null, SpeedUpHigh = null, StepRateRatio = null, Verdict = "not applicable", FailureReason = "needs residual blocks" };
        string md = TechniquesReadme.Render(techniques, [Row("baseline", 1.0), Row("ema", 1.7), notApplicable], ["effects/fashion-mlp.csv"]);

        Assert.Contains("| 720 | `ema` | optimization | EMA of weights. | - | - | evaluates the average | Polyak | 1.70x [1.50, 1.90] | - | - | 2/3 | 2.00x | faster |", md, StringComparison.Ordinal);
        Assert.Contains("| 600 | `sam` | optimization | SAM. | - | ema | gradient at w + e | Foret | not measured |", md, StringComparison.Ordinal);
        Assert.Contains("| 240 | `stochastic_depth` | model | Drops blocks. | residual blocks | - | skips blocks | Huang | - | - | - | - | - | not applicable (needs residual blocks) |", md, StringComparison.Ordinal);
        Assert.Contains("`effects/fashion-mlp.csv`", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ACsvOfAnotherKind_IsOneLineNamingTheMissingColumns()
    {
        string path = Path.Combine(_dir, "other.csv");
        File.WriteAllText(path, "a,b\n1,2\n");

        var ex = Assert.Throws<Tuner.Core.Errors.TunerInputException>(() => EffectsCsv.Read(path));

        OneLineAssert.Message(ex, "is not an effects CSV: its header lacks suite, technique, family, seeds and 16 more");
    }

    [Fact]
    public void Read_ACellThatDoesNotParse_IsOneLineNamingTheRowNotQuotingIt()
    {
        string path = Path.Combine(_dir, "e.csv");
        EffectsCsv.Write(path, [Row("baseline", 1.0), Row("ema", 1.7)]);
        File.WriteAllText(path, File.ReadAllText(path).Replace(",70123.5,", ",fast,", StringComparison.Ordinal));

        var ex = Assert.Throws<Tuner.Core.Errors.TunerInputException>(() => EffectsCsv.Read(path));

        OneLineAssert.Message(ex, "data row 1: not a valid effects CSV");
        Assert.DoesNotContain("fast", ex.Message, StringComparison.Ordinal);
    }
}
