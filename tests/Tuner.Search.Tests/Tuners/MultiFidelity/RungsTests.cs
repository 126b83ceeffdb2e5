using Tuner.Search.Tuners.MultiFidelity;

namespace Tuner.Search.Tests.Tuners.MultiFidelity;

public sealed class RungsTests
{
    [Fact]
    public void Fidelities_Defaults_AreNinthThirdAndOne()
    {
        var rungs = new Rungs();

        Assert.Equal(3, rungs.Eta);
        Assert.Equal(2, rungs.Top);
        Assert.Equal([1.0 / 9, 1.0 / 3, 1.0], rungs.Fidelities, (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(1.0, rungs.Fidelities[^1]);
    }

    [Fact]
    public void Fidelities_TwentySeventh_HasFourRungs()
    {
        var rungs = new Rungs(3, 1.0 / 27);

        Assert.Equal(3, rungs.Top);
        Assert.Equal([1.0 / 27, 1.0 / 9, 1.0 / 3, 1.0], rungs.Fidelities, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Fidelities_MinFidelityNotAPowerOfEta_KeepsItAndEndsAtOne()
    {
        var rungs = new Rungs(3, 0.1);

        Assert.Equal(2, rungs.Top);
        Assert.Equal([0.1, 0.3, 1.0], rungs.Fidelities, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void Fidelities_MinFidelityOne_IsASingleFullRung()
    {
        var rungs = new Rungs(3, 1.0);

        Assert.Equal(0, rungs.Top);
        Assert.Equal([1.0], rungs.Fidelities);
    }

    [Theory]
    [InlineData(1, 0.1)]
    [InlineData(3, 0)]
    [InlineData(3, 1.5)]
    [InlineData(3, double.NaN)]
    [InlineData(2, 1e-9)]
    public void Constructor_InvalidArguments_Throws(int eta, double minFidelity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rungs(eta, minFidelity));
    }

    [Fact]
    public void Fidelity_RungOutOfRange_Throws()
    {
        var rungs = new Rungs();

        Assert.Throws<ArgumentOutOfRangeException>(() => rungs.Fidelity(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => rungs.Fidelity(-1));
    }
}
