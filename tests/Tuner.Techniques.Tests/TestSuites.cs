using Tuner.Suites.Specs;

namespace Tuner.Techniques.Tests;

/// <summary>
/// The suites the technique tests run on by name: the built-in ones, and test-only suite files copied next to the tests
/// (TestSuites/*.json: tiny-lm, a Transformer small enough for the contract's many short runs).
/// </summary>
public static class TestSuites
{
    public static SuiteSpec Resolve(string name)
    {
        string file = Path.Combine(AppContext.BaseDirectory, "TestSuites", name + ".json");
        return File.Exists(file) ? SuiteFile.Load(file) : SuiteCatalog.Resolve(name);
    }
}
