using System.Globalization;
using Tuner.Search.Objective;
using Tuner.Search.Space;
using Tuner.Search.Tuners.RandomSearch;

namespace Tuner.Search.Tuners.CostFrugal;

/// <summary>
/// CFO, frugal optimisation for cost-related hyperparameters (Wu, Wang, Huang, AAAI 2021; FLAML's FLOW2): a
/// randomised direct search in the unit cube that starts at a low-cost point (the given start, e.g. the suite's
/// baseline, else the centre of the space with every optional technique off) and only moves to a point that scored
/// better, so it walks from cheap recipes towards good ones instead of sampling expensive corners.
/// <list type="bullet">
/// <item>From the incumbent x it proposes x + δ√d·u for a random unit direction u; when that does not improve, it
/// proposes the mirror x − δ√d·u; a proposal that scores better (<see cref="CensoredObjective.Score"/>) becomes the
/// incumbent.</item>
/// <item>After <see cref="Patience"/> non-improving results in a row, the step δ (per-coordinate size of a move) is
/// multiplied by <see cref="Shrink"/>; when δ falls below <see cref="MinimumStep"/> the search restarts from a random
/// point with the initial step.</item>
/// <item>A move whose configuration was finished or is pending is skipped: the next random direction is tried (each
/// try a little longer, to get out of a neighbourhood that is used up), and after
/// <see cref="DirectionAttempts"/> tries a random configuration is proposed.</item>
/// </list>
/// The state changes only in <see cref="Update"/>, from the result and its tag (which carries the seed of the
/// direction and the step, so the mirror can be rebuilt); <see cref="Propose"/> reads the state and draws from
/// <see cref="ProposalContext.Random"/> only. Replaying <see cref="Update"/> over the history in trial number order
/// therefore rebuilds the tuner exactly.
/// </summary>
public sealed class CostFrugalTuner : ITuner
{
    /// <summary>Random directions tried before a random configuration is proposed instead.</summary>
    public const int DirectionAttempts = 32;

    private const string StartTag = "cfo:start";
    private const string RestartTag = "cfo:restart";
    private const string RandomTag = "cfo:random";
    private const string MoveTagPrefix = "cfo:";

    private readonly CensoredObjective _objective;
    private readonly Candidate? _start;
    private readonly int? _patience;
    private readonly TriedKeys _tried = new();
    private double[]? _incumbent;
    private (int Seed, double Step)? _mirror;
    private int _failures;
    private bool _restartDue;

    /// <param name="objective">Scores results (lower is better).</param>
    /// <param name="start">The low-cost start (must belong to the study's space); null for the centre with optional techniques off.</param>
    /// <param name="initialStep">Initial per-coordinate step δ in the unit cube.</param>
    /// <param name="minimumStep">Restart from a random point when δ falls below this.</param>
    /// <param name="patience">Non-improving results in a row before δ shrinks; null for 2 × dimensions (at least 4).</param>
    /// <param name="shrink">Factor applied to δ (in (0, 1)).</param>
    public CostFrugalTuner(CensoredObjective objective, Candidate? start = null, double initialStep = 0.2, double minimumStep = 0.01, int? patience = null, double shrink = 0.5)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (!(initialStep > 0) || !(minimumStep > 0) || minimumStep > initialStep)
        {
            throw new ArgumentOutOfRangeException(nameof(initialStep), initialStep, "need 0 < minimumStep <= initialStep");
        }

        if (patience is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(patience), patience, "must be at least 1");
        }

        if (!(shrink > 0 && shrink < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(shrink), shrink, "must be in (0, 1)");
        }

        _objective = objective;
        _start = start;
        _patience = patience;
        InitialStep = initialStep;
        MinimumStep = minimumStep;
        Shrink = shrink;
        StepSize = initialStep;
    }

    public double InitialStep { get; }

    public double MinimumStep { get; }

    public double Shrink { get; }

    /// <summary>The current per-coordinate step δ.</summary>
    public double StepSize { get; private set; }

    /// <summary>The point the local search moves from (null until a full-fidelity result is in).</summary>
    public Candidate? Incumbent { get; private set; }

    /// <summary>The incumbent's score (+∞ until a full-fidelity result is in).</summary>
    public double IncumbentScore { get; private set; } = double.PositiveInfinity;

    /// <summary>How often the search restarted from a random point.</summary>
    public int Restarts { get; private set; }

    /// <summary>Non-improving results in a row before δ shrinks, once the number of dimensions is known.</summary>
    public int Patience => _patience ?? Math.Max(4, 2 * (_incumbent?.Length ?? 0));

    public Proposal? Propose(ProposalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SearchSpace space = context.Space;
        HashSet<string> taken = _tried.With(context.Pending);
        if (_incumbent is null)
        {
            Candidate start = _start ?? Centre(space);
            return taken.Contains(start.Key) ? Draw(context, taken, RandomTag) : new Proposal(start, 1.0, StartTag);
        }

        if (_restartDue)
        {
            return Draw(context, taken, RestartTag);
        }

        if (_mirror is (int mirrorSeed, double mirrorStep))
        {
            Candidate mirrored = Move(space, _incumbent, Direction(mirrorSeed, _incumbent.Length), -mirrorStep);
            if (!taken.Contains(mirrored.Key))
            {
                return new Proposal(mirrored, 1.0, MoveTag('-', mirrorSeed, mirrorStep));
            }
        }

        for (int attempt = 0; attempt < DirectionAttempts; attempt++)
        {
            int seed = context.Random.Next();
            double step = StepSize * (1.0 + (attempt / 8.0));
            double[] direction = Direction(seed, _incumbent.Length);
            Candidate plus = Move(space, _incumbent, direction, step);
            if (!taken.Contains(plus.Key))
            {
                return new Proposal(plus, 1.0, MoveTag('+', seed, step));
            }

            Candidate minus = Move(space, _incumbent, direction, -step);
            if (!taken.Contains(minus.Key))
            {
                return new Proposal(minus, 1.0, MoveTag('-', seed, step));
            }
        }

        return Draw(context, taken, RandomTag);
    }

    public void Update(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _tried.Add(result);
        if (!TriedKeys.Settles(result))
        {
            return; // a lower-fidelity result says nothing final about the full objective
        }

        double score = _objective.Score(result);
        string? tag = result.Proposal.Tag;
        if (_incumbent is null || tag == RestartTag)
        {
            if (_incumbent is not null)
            {
                Restarts++;
                StepSize = InitialStep;
                _restartDue = false;
            }

            MoveTo(result, score);
            return;
        }

        if (score < IncumbentScore)
        {
            MoveTo(result, score);
            return;
        }

        _failures++;
        _mirror = TryParseMove(tag, out char sign, out int seed, out double step) && sign == '+' ? (seed, step) : null;
        if (_failures >= Patience)
        {
            _failures = 0;
            StepSize *= Shrink;
            _restartDue |= StepSize < MinimumStep;
        }
    }

    private void MoveTo(TrialResult result, double score)
    {
        _incumbent = [.. result.Proposal.Candidate.Unit];
        Incumbent = result.Proposal.Candidate;
        IncumbentScore = score;
        _failures = 0;
        _mirror = null;
    }

    /// <summary>Ranges and choices at the centre, optional techniques off (their options at the centre).</summary>
    private static Candidate Centre(SearchSpace space)
    {
        var unit = new List<double>(space.Dimensions);
        unit.AddRange(space.Parameters.Select(_ => 0.5));
        foreach (TechniqueDimension technique in space.Techniques)
        {
            if (technique.Optional)
            {
                unit.Add(0.25);
            }

            unit.AddRange(technique.Options.Select(_ => 0.5));
        }

        return space.Decode(unit);
    }

    private static Proposal? Draw(ProposalContext context, HashSet<string> taken, string tag)
    {
        Candidate? candidate = TriedKeys.DrawNew(context.Space, context.Random, taken);
        return candidate is null ? null : new Proposal(candidate, 1.0, tag);
    }

    private static Candidate Move(SearchSpace space, double[] from, double[] direction, double step)
    {
        double length = step * Math.Sqrt(from.Length);
        double[] to = new double[from.Length];
        for (int d = 0; d < to.Length; d++)
        {
            to[d] = Math.Clamp(from[d] + (length * direction[d]), 0.0, 1.0);
        }

        return space.Decode(to);
    }

    /// <summary>A unit vector drawn from <paramref name="seed"/> (uniform on the sphere).</summary>
    private static double[] Direction(int seed, int dimensions)
    {
        var random = new Random(seed);
        double[] u = new double[dimensions];
        double norm = 0;
        for (int d = 0; d < dimensions; d++)
        {
            u[d] = GaussianDraw.Next(random);
            norm += u[d] * u[d];
        }

        norm = Math.Sqrt(norm);
        for (int d = 0; d < dimensions; d++)
        {
            u[d] = norm > 0 ? u[d] / norm : (d == 0 ? 1 : 0);
        }

        return u;
    }

    private static string MoveTag(char sign, int seed, double step) =>
        string.Create(CultureInfo.InvariantCulture, $"{MoveTagPrefix}{sign}:{seed}:{step:R}");

    private static bool TryParseMove(string? tag, out char sign, out int seed, out double step)
    {
        sign = ' ';
        seed = 0;
        step = 0;
        string[] parts = tag?.Split(':') ?? [];
        if (parts.Length != 4 || parts[0] + ":" != MoveTagPrefix || parts[1] is not ("+" or "-"))
        {
            return false;
        }

        sign = parts[1][0];
        return int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out seed) &&
            double.TryParse(parts[3], NumberStyles.Float, CultureInfo.InvariantCulture, out step);
    }
}
