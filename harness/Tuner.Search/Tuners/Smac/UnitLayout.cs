using Tuner.Search.Space;

namespace Tuner.Search.Tuners.Smac;

/// <summary>
/// What each coordinate of a <see cref="SearchSpace"/>'s unit cube is (a range, a choice with its bin centres, or a
/// technique's on/off toggle), in the order <see cref="SearchSpace.Decode"/> reads them; used to make one-at-a-time
/// neighbours (flip a toggle, move a choice to another value) that Gaussian noise alone rarely produces.
/// </summary>
internal sealed class UnitLayout
{
    private UnitLayout(IReadOnlyList<double[]> alternatives) => Alternatives = alternatives;

    /// <summary>Per coordinate, the canonical values a one-at-a-time move may set it to (empty for a range).</summary>
    public IReadOnlyList<double[]> Alternatives { get; }

    public static UnitLayout Of(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var alternatives = new List<double[]>(space.Dimensions);
        alternatives.AddRange(space.Parameters.Select(Values));
        foreach (TechniqueDimension technique in space.Techniques)
        {
            if (technique.Optional)
            {
                alternatives.Add([0.25, 0.75]);
            }

            alternatives.AddRange(technique.Options.Select(Values));
        }

        return new UnitLayout(alternatives);
    }

    /// <summary>Every vector that differs from <paramref name="unit"/> in one toggle or one choice coordinate.</summary>
    public IEnumerable<double[]> OneAtATime(IReadOnlyList<double> unit)
    {
        for (int d = 0; d < Alternatives.Count; d++)
        {
            foreach (double value in Alternatives[d])
            {
                if (Math.Abs(value - unit[d]) > 1e-9)
                {
                    double[] moved = [.. unit];
                    moved[d] = value;
                    yield return moved;
                }
            }
        }
    }

    private static double[] Values(Parameter parameter) => parameter is ChoiceParameter choice
        ? [.. choice.Values.Select(choice.Encode)]
        : [];
}
