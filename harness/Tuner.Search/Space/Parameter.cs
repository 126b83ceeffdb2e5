using System.Globalization;

namespace Tuner.Search.Space;

/// <summary>
/// One typed option of a search space, mapped to the unit interval [0, 1] so that tuners stay generic: a tuner moves
/// numbers in the unit cube; <see cref="Decode"/> turns a coordinate into the option's canonical text value (invariant
/// culture, the form <c>--set</c> and technique options accept) and <see cref="Encode"/> maps a value back to the
/// coordinate that decodes to it.
/// </summary>
public abstract class Parameter
{
    protected Parameter(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    public string Name { get; }

    /// <summary>The canonical value at unit coordinate <paramref name="unit"/> (clamped into [0, 1]).</summary>
    public abstract string Decode(double unit);

    /// <summary>A unit coordinate that decodes to <paramref name="value"/> (the centre of a choice's bin).</summary>
    public abstract double Encode(string value);

    /// <summary>Values for grid search: every choice, or <paramref name="points"/> evenly spaced values of a range (on its scale).</summary>
    public abstract IReadOnlyList<string> GridValues(int points);

    /// <summary>The canonical coordinate of <paramref name="unit"/>: <c>Encode(Decode(unit))</c>, so equal values have equal vectors.</summary>
    public double Canonical(double unit) => Encode(Decode(unit));

    protected static double Clamp(double unit) => double.IsNaN(unit) ? 0.5 : Math.Clamp(unit, 0.0, 1.0);
}

/// <summary>One of a fixed list of values (text); each owns an equal bin of [0, 1].</summary>
public sealed class ChoiceParameter : Parameter
{
    public ChoiceParameter(string name, IReadOnlyList<string> values)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException($"choice '{name}' has no values", nameof(values));
        }

        if (values.Distinct(StringComparer.Ordinal).Count() != values.Count)
        {
            throw new ArgumentException($"choice '{name}' lists a value twice", nameof(values));
        }

        Values = values;
    }

    public IReadOnlyList<string> Values { get; }

    public override string Decode(double unit) => Values[Math.Min(Values.Count - 1, (int)Math.Floor(Clamp(unit) * Values.Count))];

    public override double Encode(string value)
    {
        int index = Values.ToList().IndexOf(value);
        if (index < 0)
        {
            throw new ArgumentException($"'{value}' is not a value of choice '{Name}' ({string.Join(", ", Values)})", nameof(value));
        }

        return (index + 0.5) / Values.Count;
    }

    public override IReadOnlyList<string> GridValues(int points) => Values;
}

/// <summary>A number in [low, high], uniform or on a log scale, optionally whole. Decoded values keep 4 significant digits.</summary>
public sealed class RangeParameter : Parameter
{
    public RangeParameter(string name, double low, double high, bool log = false, bool whole = false)
        : base(name)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || low > high)
        {
            throw new ArgumentException($"range '{name}' is invalid: low {low} must be <= high {high}", nameof(low));
        }

        if (log && low <= 0)
        {
            throw new ArgumentException($"range '{name}' is on a log scale and needs low > 0", nameof(low));
        }

        Low = low;
        High = high;
        Log = log;
        Whole = whole;
    }

    public double Low { get; }

    public double High { get; }

    public bool Log { get; }

    public bool Whole { get; }

    public double Value(double unit)
    {
        double u = Clamp(unit);
        double raw = Log ? Math.Exp(Math.Log(Low) + (u * (Math.Log(High) - Math.Log(Low)))) : Low + (u * (High - Low));
        raw = Whole ? Math.Round(raw, MidpointRounding.AwayFromZero) : RoundSignificant(raw, 4);
        return Math.Clamp(raw, Low, High);
    }

    public override string Decode(double unit) => Format(Value(unit));

    public override double Encode(string value)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || v < Low || v > High)
        {
            throw new ArgumentException($"'{value}' is outside range '{Name}' [{Format(Low)}, {Format(High)}]", nameof(value));
        }

        if (High == Low)
        {
            return 0.5;
        }

        return Log ? (Math.Log(v) - Math.Log(Low)) / (Math.Log(High) - Math.Log(Low)) : (v - Low) / (High - Low);
    }

    public override IReadOnlyList<string> GridValues(int points)
    {
        if (points <= 1 || High == Low)
        {
            return [Decode(0.5)];
        }

        return [.. Enumerable.Range(0, points).Select(i => Decode((double)i / (points - 1))).Distinct(StringComparer.Ordinal)];
    }

    private string Format(double v) => Whole
        ? ((long)v).ToString(CultureInfo.InvariantCulture)
        : v.ToString("R", CultureInfo.InvariantCulture);

    private static double RoundSignificant(double v, int digits)
    {
        if (v == 0 || !double.IsFinite(v))
        {
            return v;
        }

        double scale = Math.Pow(10, digits - 1 - (int)Math.Floor(Math.Log10(Math.Abs(v))));
        return Math.Round(v * scale) / scale;
    }
}
