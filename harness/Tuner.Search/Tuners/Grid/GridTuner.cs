using System.Globalization;
using Tuner.Core.Errors;
using Tuner.Search.Space;
using Tuner.Search.Tuners.RandomSearch;

namespace Tuner.Search.Tuners.Grid;

/// <summary>
/// Exhaustive grid search: proposes the configurations of <see cref="SearchSpace.Grid"/> (every choice,
/// <see cref="PointsPerRange"/> values of each range, conflicting combinations left out) in the grid's fixed order,
/// skipping any already finished or pending, and returns null when none is left. A grid grows exponentially with the
/// space, so one with more than <see cref="Cap"/> configurations is refused with a <see cref="TunerInputException"/>
/// rather than started and never finished.
/// </summary>
/// <remarks>The state is the set of finished keys plus the grid (a function of the space), so a replay of
/// <see cref="Update"/> rebuilds it.</remarks>
public sealed class GridTuner : ITuner
{
    private readonly TriedKeys _tried = new();
    private SearchSpace? _gridSpace;
    private List<Candidate> _grid = [];

    /// <param name="pointsPerRange">Values per range parameter (at least 1).</param>
    /// <param name="cap">The most configurations the grid may have (at least 1).</param>
    public GridTuner(int pointsPerRange = 3, int cap = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pointsPerRange, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        PointsPerRange = pointsPerRange;
        Cap = cap;
    }

    public int PointsPerRange { get; }

    public int Cap { get; }

    /// <summary>
    /// The grid of <paramref name="space"/> in proposal order.
    /// </summary>
    /// <exception cref="TunerInputException">The grid has more than <see cref="Cap"/> configurations.</exception>
    public IReadOnlyList<Candidate> GridOf(SearchSpace space)
    {
        ArgumentNullException.ThrowIfNull(space);
        if (!ReferenceEquals(space, _gridSpace))
        {
            List<Candidate> grid = [.. space.Grid(PointsPerRange).Take(Cap == int.MaxValue ? Cap : Cap + 1)];
            if (grid.Count > Cap)
            {
                throw new TunerInputException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"the grid has more than {Cap} configurations (space of {space.Parameters.Count} parameters and {space.Techniques.Count} techniques, {PointsPerRange} points per range): narrow the space file or raise --grid-cap"));
            }

            _grid = grid;
            _gridSpace = space;
        }

        return _grid;
    }

    public Proposal? Propose(ProposalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        IReadOnlyList<Candidate> grid = GridOf(context.Space);
        HashSet<string> taken = _tried.With(context.Pending);
        Candidate? next = grid.FirstOrDefault(c => !taken.Contains(c.Key));
        return next is null ? null : new Proposal(next);
    }

    public void Update(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _tried.Add(result);
    }
}
