using Tuner.Core.Configuration;

namespace Tuner.Core.Tests.Configuration;

public sealed class TechniqueSpecTests
{
    [Fact]
    public void ToString_WithOptions_ListsThemInOrdinalOrder()
    {
        var spec = new TechniqueSpec("warmup", new Dictionary<string, string> { ["steps"] = "10", ["alpha"] = "0.1" });

        Assert.Equal("warmup:alpha=0.1,steps=10", spec.ToString());
        Assert.Equal("warmup", TechniqueSpec.Of("warmup").ToString());
    }

    [Fact]
    public void Equals_SameNameAndOptions_IsValueEquality()
    {
        var a = new TechniqueSpec("grad_clip", new Dictionary<string, string> { ["max_norm"] = "1" });
        var b = new TechniqueSpec("grad_clip", new SortedDictionary<string, string>(StringComparer.Ordinal) { ["max_norm"] = "1" });
        var c = new TechniqueSpec("grad_clip", new Dictionary<string, string> { ["max_norm"] = "2" });

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.NotEqual(a, TechniqueSpec.Of("grad_clip"));
    }

    [Fact]
    public void TrainingConfigurationEquals_ComparesTechniquesByValue()
    {
        var one = new TrainingConfiguration { Techniques = [new TechniqueSpec("warmup", new Dictionary<string, string> { ["steps"] = "5" })] };
        var same = new TrainingConfiguration { Techniques = [new TechniqueSpec("warmup", new Dictionary<string, string> { ["steps"] = "5" })] };
        var other = new TrainingConfiguration { Techniques = [new TechniqueSpec("warmup", new Dictionary<string, string> { ["steps"] = "6" })] };

        Assert.Equal(one, same);
        Assert.NotEqual(one, other);
        Assert.EndsWith(" warmup:steps=5", one.ToString(), StringComparison.Ordinal);
    }
}
