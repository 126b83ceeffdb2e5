using System.Globalization;
using Tuner.Core.Errors;

namespace Tuner.Core.Options;

/// <summary>
/// The validated values of a technique's or optimizer's options: every given option parsed against its
/// <see cref="OptionSpec"/>, every other one at its default. Unknown and out-of-range options are one-line input errors.
/// </summary>
public sealed class OptionValues
{
    private readonly Dictionary<string, double> _values = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="given"/> against <paramref name="declared"/>; <paramref name="owner"/> ("technique mixup") names it in errors.</summary>
    public OptionValues(string owner, IReadOnlyList<OptionSpec> declared, IReadOnlyDictionary<string, string> given)
    {
        ArgumentNullException.ThrowIfNull(declared);
        ArgumentNullException.ThrowIfNull(given);
        Owner = owner;
        foreach (string key in given.Keys.Order(StringComparer.Ordinal))
        {
            if (!declared.Any(o => o.Name == key))
            {
                throw new TunerInputException(declared.Count == 0
                    ? $"{owner}: unknown option '{key}': it takes no options"
                    : $"{owner}: unknown option '{key}': valid options are {string.Join(", ", declared.Select(o => o.Name))}");
            }
        }

        foreach (OptionSpec option in declared)
        {
            _values[option.Name] = given.TryGetValue(option.Name, out string? text) ? option.Parse(owner, text) : option.Default;
        }
    }

    public string Owner { get; }

    public double Number(string name) => _values.TryGetValue(name, out double value)
        ? value
        : throw new InvalidOperationException($"{Owner} reads option '{name}', which it does not declare");

    public int Whole(string name) => checked((int)Number(name));

    public bool Flag(string name) => Number(name) != 0;

    /// <summary>A cross-option rule (e.g. end after start): a one-line input error when it fails.</summary>
    public void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new TunerInputException($"{Owner}: {message}");
        }
    }

    public override string ToString() => string.Join(",", _values.Select(kv => $"{kv.Key}={kv.Value.ToString("R", CultureInfo.InvariantCulture)}"));
}
