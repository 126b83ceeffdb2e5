using System.Globalization;
using System.Text.RegularExpressions;
using Tuner.Core.Errors;

namespace Tuner.Core.Budgets;

/// <summary>
/// A training budget: an amount in one unit. Parsed once at the edge (<c>30s</c>, <c>2m</c>, <c>500steps</c>,
/// <c>2epochs</c>, <c>60000samples</c>) and carried typed from then on.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(BudgetJsonConverter))]
public readonly partial record struct Budget
{
    public Budget(double amount, BudgetUnit unit)
    {
        if (double.IsNaN(amount) || double.IsInfinity(amount) || amount <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A budget must be a positive, finite amount.");
        }

        if (unit != BudgetUnit.WallClock && amount != Math.Floor(amount))
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, $"A budget in {unit} must be a whole number.");
        }

        Amount = amount;
        Unit = unit;
    }

    public double Amount { get; }

    public BudgetUnit Unit { get; }

    public static Budget Seconds(double seconds) => new(seconds, BudgetUnit.WallClock);

    public static Budget Steps(long steps) => new(steps, BudgetUnit.Steps);

    public static Budget Samples(long samples) => new(samples, BudgetUnit.Samples);

    public static Budget Epochs(int epochs) => new(epochs, BudgetUnit.Epochs);

    /// <summary>The longest wall-clock budget (30 days; longer is a typo, and beyond what TimeSpan arithmetic stays exact for).</summary>
    public const double MaxSeconds = 30 * 24 * 3600;

    /// <summary>The largest step or sample count (10^12: counts stay exact in a double, and no run takes more).</summary>
    public const double MaxCount = 1e12;

    /// <summary>The largest epoch count.</summary>
    public const double MaxEpochs = 1e6;

    private const double MinSeconds = 0.001;

    /// <summary>Parses <paramref name="text"/> or throws a one-line <see cref="TunerInputException"/>.</summary>
    public static Budget Parse(string text) =>
        TryParse(text, out Budget budget, out string? error) ? budget : throw new TunerInputException(error!);

    public static bool TryParse(string? text, out Budget budget, out string? error)
    {
        budget = default;
        const string Help = "use a positive number with a unit: 30s, 5m, 1h, 500steps, 2epochs or 60000samples";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"empty budget: {Help}";
            return false;
        }

        Match match = BudgetPattern().Match(text.Trim());
        if (!match.Success)
        {
            error = $"malformed budget '{text}': {Help}";
            return false;
        }

        if (!double.TryParse(match.Groups["amount"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) ||
            double.IsInfinity(amount))
        {
            error = $"malformed budget '{text}': {Help}";
            return false;
        }

        if (match.Groups["sign"].Value == "-" || amount <= 0)
        {
            error = $"budget '{text}' must be greater than zero: {Help}";
            return false;
        }

        string unit = match.Groups["unit"].Value.ToUpperInvariant();
        (double scaled, BudgetUnit? parsed) = unit switch
        {
            "MS" => (amount / 1000.0, BudgetUnit.WallClock),
            "S" or "SEC" or "SECS" or "SECOND" or "SECONDS" => (amount, BudgetUnit.WallClock),
            "M" or "MIN" or "MINS" or "MINUTE" or "MINUTES" => (amount * 60, BudgetUnit.WallClock),
            "H" or "HOUR" or "HOURS" => (amount * 3600, BudgetUnit.WallClock),
            "STEP" or "STEPS" or "BA" or "BATCH" or "BATCHES" => (amount, BudgetUnit.Steps),
            "SAMPLE" or "SAMPLES" or "SP" => (amount, BudgetUnit.Samples),
            "EP" or "EPOCH" or "EPOCHS" => (amount, BudgetUnit.Epochs),
            _ => (0.0, (BudgetUnit?)null),
        };

        if (parsed is null)
        {
            error = $"unknown budget unit '{match.Groups["unit"].Value}' in '{text}': {Help}";
            return false;
        }

        if (parsed != BudgetUnit.WallClock && scaled != Math.Floor(scaled))
        {
            error = $"budget '{text}' must be a whole number of {parsed.Value.ToString().ToLowerInvariant()}";
            return false;
        }

        double most = parsed switch
        {
            BudgetUnit.WallClock => MaxSeconds,
            BudgetUnit.Epochs => MaxEpochs,
            _ => MaxCount,
        };
        if (scaled > most)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"budget '{text}' is beyond the largest budget in its unit ({(parsed == BudgetUnit.WallClock ? "30 days" : most.ToString("0", CultureInfo.InvariantCulture) + " " + parsed.Value.ToString().ToLowerInvariant())}): give a smaller one");
            return false;
        }

        if (parsed == BudgetUnit.WallClock && scaled < MinSeconds)
        {
            error = $"budget '{text}' is shorter than a millisecond: give a longer one";
            return false;
        }

        budget = new Budget(scaled, parsed.Value);
        error = null;
        return true;
    }

    /// <summary>The canonical text form, which <see cref="Parse"/> reads back.</summary>
    public override string ToString() => Unit switch
    {
        BudgetUnit.WallClock => string.Create(CultureInfo.InvariantCulture, $"{Amount:R}s"),
        BudgetUnit.Steps => string.Create(CultureInfo.InvariantCulture, $"{Amount:0}steps"),
        BudgetUnit.Samples => string.Create(CultureInfo.InvariantCulture, $"{Amount:0}samples"),
        BudgetUnit.Epochs => string.Create(CultureInfo.InvariantCulture, $"{Amount:0}epochs"),
        _ => throw new InvalidOperationException($"Unknown unit {Unit}"),
    };

    [GeneratedRegex(@"^(?<sign>[+-]?)\s*(?<amount>[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?)\s*(?<unit>[A-Za-z]+)$")]
    private static partial Regex BudgetPattern();
}
