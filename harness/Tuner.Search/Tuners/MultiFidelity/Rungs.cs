namespace Tuner.Search.Tuners.MultiFidelity;

/// <summary>
/// The fidelity ladder shared by the multi-fidelity tuners: rung r = 0..<see cref="Top"/> runs a configuration for
/// <c>MinFidelity * Eta^r</c> of the study's training budget and the last rung for all of it (fidelity 1).
/// <see cref="Top"/> is <c>log_eta(1 / minFidelity)</c> rounded to the nearest whole number (at least 1 when
/// <c>minFidelity &lt; 1</c>), so a minimum fidelity that is not a power of 1/eta keeps rung 0 at exactly
/// <c>minFidelity</c> and the last rung at exactly 1 while the last step grows or shrinks (between eta^0.5 and
/// eta^1.5) instead of adding a nearly useless rung just below 1.
/// </summary>
public sealed class Rungs
{
    /// <summary>Fidelities closer than this are the same rung (they are fractions of a budget, not measurements).</summary>
    public const double Tolerance = 1e-9;

    /// <summary>The largest <c>Eta^Top</c> accepted (the configurations a full bracket starts), so counts stay whole numbers that fit.</summary>
    public const long MaxBracketConfigs = 1_000_000;

    private readonly double[] _fidelities;

    /// <param name="eta">Reduction factor: each rung keeps the best 1/eta and runs them eta times longer (at least 2).</param>
    /// <param name="minFidelity">Fidelity of rung 0, in (0, 1]; 1 makes a single full-fidelity rung.</param>
    public Rungs(int eta = 3, double minFidelity = 1.0 / 9)
    {
        if (eta < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(eta), eta, "eta must be at least 2");
        }

        if (!(minFidelity > 0 && minFidelity <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(minFidelity), minFidelity, "the minimum fidelity must be in (0, 1]");
        }

        Eta = eta;
        MinFidelity = minFidelity;
        Top = minFidelity >= 1 - Tolerance ? 0 : Math.Max(1, (int)Math.Round(Math.Log(1 / minFidelity) / Math.Log(eta), MidpointRounding.AwayFromZero));
        if (Math.Pow(eta, Top) > MaxBracketConfigs)
        {
            throw new ArgumentOutOfRangeException(nameof(minFidelity), minFidelity, $"eta {eta} from this minimum fidelity needs {Top} rungs above rung 0, more than {MaxBracketConfigs} configurations per bracket");
        }

        _fidelities = new double[Top + 1];
        for (int r = 0; r < Top; r++)
        {
            _fidelities[r] = minFidelity * Math.Pow(eta, r);
        }

        _fidelities[Top] = 1.0;
    }

    public int Eta { get; }

    public double MinFidelity { get; }

    /// <summary>Index of the last rung (full fidelity); there are <c>Top + 1</c> rungs.</summary>
    public int Top { get; }

    /// <summary>Fidelity of each rung, rung 0 first, ending with 1.</summary>
    public IReadOnlyList<double> Fidelities => _fidelities;

    public double Fidelity(int rung)
    {
        if (rung < 0 || rung > Top)
        {
            throw new ArgumentOutOfRangeException(nameof(rung), rung, $"rungs are 0..{Top}");
        }

        return _fidelities[rung];
    }

    /// <summary><c>Eta^power</c> as a whole number (power is at most <see cref="Top"/>, so it fits).</summary>
    internal long Power(int power)
    {
        long value = 1;
        for (int i = 0; i < power; i++)
        {
            value = checked(value * Eta);
        }

        return value;
    }
}
