using System.Globalization;
using Tuner.Core.Errors;

namespace Tuner.Techniques;

/// <summary>Reads and validates a technique's text options; every problem is a one-line input error naming the technique and option.</summary>
public sealed class TechniqueOptionReader
{
    private readonly string _technique;
    private readonly IReadOnlyDictionary<string, string> _options;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public TechniqueOptionReader(string technique, IReadOnlyDictionary<string, string> options)
    {
        _technique = technique;
        _options = options;
    }

    public double Number(string key, double defaultValue, double min, double max)
    {
        _read.Add(key);
        if (!_options.TryGetValue(key, out string? text))
        {
            return defaultValue;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value) || value < min || value > max)
        {
            throw new TunerInputException($"technique {_technique}: option {key}='{text}' is invalid: expected a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
        }

        return value;
    }

    public int WholeNumber(string key, int defaultValue, int min, int max)
    {
        _read.Add(key);
        if (!_options.TryGetValue(key, out string? text))
        {
            return defaultValue;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new TunerInputException($"technique {_technique}: option {key}='{text}' is invalid: expected a whole number in [{min}, {max}]");
        }

        return value;
    }

    /// <summary>Throws when an option was given that the technique does not read.</summary>
    public void RejectUnknown(IEnumerable<string> known)
    {
        foreach (string key in _options.Keys)
        {
            if (!_read.Contains(key))
            {
                throw new TunerInputException($"technique {_technique}: unknown option '{key}': valid options are {string.Join(", ", known)}");
            }
        }
    }
}
