using Tuner.Core.Errors;

namespace Tuner.Techniques.Tests;

public sealed class TechniqueOptionReaderTests
{
    private static TechniqueOptionReader Reader(params (string Key, string Value)[] options) =>
        new("demo", options.ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal));

    [Fact]
    public void Number_Missing_ReturnsDefault()
    {
        Assert.Equal(0.5, Reader().Number("x", 0.5, 0, 1));
    }

    [Fact]
    public void Number_Given_ParsesInvariantCulture()
    {
        Assert.Equal(1e-3, Reader(("x", "1e-3")).Number("x", 0.5, 0, 1));
        Assert.Equal(0.25, Reader(("x", "0.25")).Number("x", 0.5, 0, 1));
    }

    [Theory]
    [InlineData("0,5")]
    [InlineData("2")]
    [InlineData("-1")]
    [InlineData("Infinity")]
    public void Number_InvalidOrOutOfRange_ThrowsNamingTechniqueOptionAndRange(string value)
    {
        var ex = Assert.Throws<TunerInputException>(() => Reader(("x", value)).Number("x", 0.5, 0, 1));

        OneLineAssert.Message(ex, "technique demo", $"option x='{value}'", "[0, 1]");
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("10", 10)]
    public void WholeNumber_Given_Parses(string value, int expected)
    {
        Assert.Equal(expected, Reader(("n", value)).WholeNumber("n", 1, 1, 10));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("11")]
    [InlineData("2.0")]
    public void WholeNumber_InvalidOrOutOfRange_Throws(string value)
    {
        var ex = Assert.Throws<TunerInputException>(() => Reader(("n", value)).WholeNumber("n", 1, 1, 10));

        OneLineAssert.Message(ex, "technique demo", $"option n='{value}'", "whole number in [1, 10]");
    }

    [Fact]
    public void RejectUnknown_OnlyReadOptions_DoesNotThrow()
    {
        TechniqueOptionReader reader = Reader(("x", "0.1"));
        reader.Number("x", 0.5, 0, 1);

        reader.RejectUnknown(["x"]);
    }

    [Fact]
    public void RejectUnknown_UnreadOption_ThrowsListingKnownOptions()
    {
        TechniqueOptionReader reader = Reader(("x", "0.1"), ("y", "2"));
        reader.Number("x", 0.5, 0, 1);

        var ex = Assert.Throws<TunerInputException>(() => reader.RejectUnknown(["x", "z"]));

        OneLineAssert.Message(ex, "technique demo", "unknown option 'y'", "x, z");
    }
}
