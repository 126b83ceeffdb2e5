using Tuner.Search.Tuners;

namespace Tuner.Runner.Search;

/// <summary>Builds the tuner of a study from its options (see <see cref="TunerCatalog"/>).</summary>
public static class TunerFactory
{
    public static ITuner Create(string name, StudySession session, SearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(options);
        return TunerCatalog.Create(name, session.Space, session.Objective, options.Suite.Baseline, options.GridPointsPerRange, options.GridCap);
    }
}
