namespace Tuner.Data.Tests.Fetch;

/// <summary>One temporary data root shared by the end-to-end tests, so each package is fetched once.</summary>
public sealed class RealDataRootFixture : IDisposable
{
    private readonly TempDirectory _dir = new();

    public RealDataRootFixture() => Store = new DataStore(_dir.Path);

    public DataStore Store { get; }

    public void Dispose() => _dir.Dispose();
}
