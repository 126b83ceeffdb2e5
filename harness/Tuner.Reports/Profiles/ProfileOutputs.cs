using System.Globalization;
using Tuner.Plots;
using Tuner.Reports.Html;

namespace Tuner.Reports.Profiles;

/// <summary>
/// Writes a performance profile: <c>profile.csv</c> (solver, tau, fraction at every tau where a profile steps),
/// <c>profile-ratios.csv</c> (problem, suite, solver, seconds, best seconds, ratio), <c>profile.png</c> and
/// <c>profile.html</c> (the chart as SVG and the tables).
/// </summary>
public static class ProfileOutputs
{
    public const string Csv = "profile.csv";
    public const string RatiosCsv = "profile-ratios.csv";
    public const string Png = "profile.png";
    public const string Html = "profile.html";

    /// <summary>Solvers drawn with a colour of their own; the rest are grey (and all are in the tables).</summary>
    public const int Coloured = 7;

    public static IReadOnlyList<string> Write(PerformanceProfile profile, string directory)
    {
        ArgumentNullException.ThrowIfNull(profile);
        Directory.CreateDirectory(directory);
        IReadOnlyList<double> taus = profile.Taus();
        CsvTable.Write(Path.Combine(directory, Csv), ["solver", "tau", "fraction"],
            Ordered(profile).SelectMany(solver => taus.Select(tau => (IReadOnlyList<string>)[solver, PerformanceProfile.Invariant(tau), PerformanceProfile.Invariant(profile.Fraction(solver, tau))])));
        CsvTable.Write(Path.Combine(directory, RatiosCsv), ["problem", "suite", "solver", "seconds", "best_seconds", "ratio"],
            profile.Ratios.Select(r => (IReadOnlyList<string>)[r.Problem, profile.Problems.First(p => p.Name == r.Problem).Suite, r.Solver,
                PerformanceProfile.Invariant(r.Seconds), PerformanceProfile.Invariant(r.BestSeconds), PerformanceProfile.Invariant(r.Ratio)]));
        Charts.SaveXy(PngChart(profile), Path.Combine(directory, Png));
        Page(profile).Save(Path.Combine(directory, Html));
        return [Csv, RatiosCsv, Png, Html];
    }

    /// <summary>Solvers by the share of problems they win, then by the area under their profile (better first).</summary>
    public static IReadOnlyList<string> Ordered(PerformanceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        IReadOnlyList<double> taus = profile.Taus();
        return [.. profile.Solvers.OrderByDescending(profile.Wins).ThenByDescending(s => taus.Sum(t => profile.Fraction(s, t))).ThenBy(s => s, StringComparer.Ordinal)];
    }

    /// <summary>The steps of a solver's profile from tau 1 to a little past the largest finite ratio.</summary>
    public static IReadOnlyList<(double Tau, double Fraction)> Curve(PerformanceProfile profile, string solver)
    {
        ArgumentNullException.ThrowIfNull(profile);
        IReadOnlyList<double> taus = profile.Taus();
        double end = taus[^1] * 1.25;
        return [.. taus.Select(t => (t, profile.Fraction(solver, t))), (end, profile.Fraction(solver, end))];
    }

    private static XyChart PngChart(PerformanceProfile profile)
    {
        IReadOnlyList<string> ordered = Ordered(profile);
        return new XyChart(
            Title(profile),
            "tau: within this factor of the best time-to-target",
            "share of suites",
            [.. ordered.Select((s, i) => new XySeries(i < Coloured ? s : string.Empty, [.. Curve(profile, s).Select(c => (c.Tau, c.Fraction))], XyStyle.Step, i < Coloured ? i : -1))])
        {
            XLog2 = true,
            YRange = (-0.03, 1.03),
        };
    }

    /// <summary>The profile's page: chart, how to read it, the ratio table, what was excluded.</summary>
    public static HtmlPage Page(PerformanceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var page = new HtmlPage("Performance profile", Invariant($"{profile.Problems.Count} suites ({string.Join(", ", profile.Problems.Select(p => $"{p.Name} on {p.Suite}"))}); solvers: each {(profile.By == ProfileSolver.Technique ? "technique" : "combination of techniques")}"));
        page.Section("profile", "Profile", Section(profile));
        return page;
    }

    /// <summary>The profile as an HTML section body (also embedded in other pages).</summary>
    public static string Section(PerformanceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        IReadOnlyList<string> ordered = Ordered(profile);
        var plot = new SvgPlot(Title(profile), "tau: within this factor of the best time-to-target", "share of suites", AxisScale.Log, height: 420)
        {
            YRange = (-0.03, 1.03),
            Caption = "Dolan-Moré performance profile: for each solver, the share of suites on which its best time-to-target is within tau times the best solver's there. The left end (tau = 1) is the share of suites it wins; the right end, the share where it reached the target at all. Higher is better everywhere; a curve that crosses another wins more often but loses by more when it loses.",
        };
        for (int i = 0; i < ordered.Count; i++)
        {
            plot.Line(i < Coloured ? ordered[i] : string.Empty, Curve(profile, ordered[i]).Select(c => (c.Tau, c.Fraction)), i, step: true, colourOverride: i < Coloured ? null : Palette.Grey, legend: i < Coloured);
        }

        var table = new HtmlTable("profile-table", sortable: true, ["solver", "wins (tau = 1)", "within 2x", "reached", .. profile.Problems.Select(p => $"{p.Suite}: ratio (s)")]);
        foreach (string solver in ordered)
        {
            var cells = new List<Cell>
            {
                Cell.Text(solver),
                Cell.Number(profile.Fraction(solver, 1), 2),
                Cell.Number(profile.Fraction(solver, 2), 2),
                Cell.Number(profile.Solved(solver), 2),
            };
            foreach (ProfileProblem problem in profile.Problems)
            {
                ProfileRatio r = profile.Ratios.First(x => x.Problem == problem.Name && x.Solver == solver);
                cells.Add(Cell.Raw(HtmlPage.E(double.IsFinite(r.Ratio) ? Invariant($"{r.Ratio:0.00} ({r.Seconds:0.00})") : "not reached"), double.IsFinite(r.Ratio) ? r.Ratio.ToString("R", CultureInfo.InvariantCulture) : "1e308"));
            }

            table.Add(cells);
        }

        string excluded = profile.Excluded.Count == 0 ? string.Empty : HtmlPage.P(
            "Not profiled (not tried on every suite): " + string.Join("; ", profile.Excluded.Select(e => $"{e.Key} (missing on {string.Join(", ", e.Value)})")), "note");
        return plot.Render() + table.Render() + excluded + HtmlPage.P(
            profile.By == ProfileSolver.Technique
                ? "A technique's time on a suite is the fastest time-to-target of the study's trials that used it (with whatever else the tuner combined it with); (no technique) is the fastest trial without any."
                : "A combination's time on a suite is the fastest time-to-target of the study's trials with exactly those techniques.",
            "note");
    }

    private static string Title(PerformanceProfile profile) =>
        Invariant($"Performance profile over {profile.Problems.Count} suites, {profile.Solvers.Count} {(profile.By == ProfileSolver.Technique ? "techniques" : "combinations")}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
