using System.Globalization;
using Tuner.Core.Errors;

namespace Tuner.Core.Options;

/// <summary>What kind of value an option holds: a real number, a whole number, or a 0/1 switch.</summary>
public enum OptionKind
{
    Number,
    Whole,
    Flag,
}

/// <summary>
/// One typed option of a technique or an optimizer, declared once: its name, kind, default, inclusive range and help.
/// The declaration gives the help text (<see cref="Describe"/>), the parsing and the validation (<see cref="Parse"/>);
/// nothing about the option is written anywhere else.
/// </summary>
public sealed record OptionSpec
{
    private OptionSpec(string name, OptionKind kind, double defaultValue, double min, double max, string help)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!(min <= defaultValue && defaultValue <= max))
        {
            throw new ArgumentOutOfRangeException(nameof(defaultValue), defaultValue, $"option {name}: the default must lie in [{min}, {max}]");
        }

        Name = name;
        Kind = kind;
        Default = defaultValue;
        Min = min;
        Max = max;
        Help = help;
    }

    public string Name { get; }

    public OptionKind Kind { get; }

    public double Default { get; }

    /// <summary>Smallest valid value (inclusive).</summary>
    public double Min { get; }

    /// <summary>Largest valid value (inclusive).</summary>
    public double Max { get; }

    /// <summary>What the option means, without range or default (those are added by <see cref="Describe"/>).</summary>
    public string Help { get; }

    public static OptionSpec Number(string name, double defaultValue, double min, double max, string help) => new(name, OptionKind.Number, defaultValue, min, max, help);

    public static OptionSpec Whole(string name, int defaultValue, int min, int max, string help) => new(name, OptionKind.Whole, defaultValue, min, max, help);

    public static OptionSpec Flag(string name, bool defaultValue, string help) => new(name, OptionKind.Flag, defaultValue ? 1 : 0, 0, 1, help);

    /// <summary>"help, [min, max], default d" (whole numbers as min..max, switches as 0 or 1).</summary>
    public string Describe() => Kind switch
    {
        OptionKind.Flag => $"{Help}, 0 or 1, default {Text(Default)}",
        OptionKind.Whole => $"{Help}, {Text(Min)}..{Text(Max)}, default {Text(Default)}",
        _ => $"{Help}, [{Text(Min)}, {Text(Max)}], default {Text(Default)}",
    };

    /// <summary>The value of <paramref name="text"/>, or a one-line input error naming <paramref name="owner"/> ("technique mixup"), the option and the valid range.</summary>
    public double Parse(string owner, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        bool ok = Kind == OptionKind.Number
            ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            : TryWhole(text, out value);
        if (!ok || value < Min || value > Max)
        {
            string expected = Kind switch
            {
                OptionKind.Flag => "0 or 1",
                OptionKind.Whole => $"a whole number in [{Text(Min)}, {Text(Max)}]",
                _ => $"a number in [{Text(Min)}, {Text(Max)}]",
            };
            throw new TunerInputException($"{owner}: option {Name}='{text}' is invalid: expected {expected}");
        }

        return value;
    }

    private static bool TryWhole(string text, out double value)
    {
        bool ok = long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long whole);
        value = whole;
        return ok;
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
