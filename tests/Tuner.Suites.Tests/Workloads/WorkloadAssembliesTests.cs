using Tuner.Core.Errors;
using Tuner.Core.Workloads;
using Tuner.Suites.Specs;
using Tuner.Suites.Workloads;

namespace Tuner.Suites.Tests.Workloads;

/// <summary>
/// Suite files that name a workload assembly (tests/Tuner.TestWorkloads, built as its own assembly): the workload is
/// made from its own load context with the host's API types, and every mistake is one line naming the suite file and
/// the fix.
/// </summary>
public sealed class WorkloadAssembliesTests
{
    [Fact]
    public void SuiteFile_NamingAWorkload_MakesItInItsOwnLoadContextWithTheHostsApiTypes()
    {
        using var dir = new TempDirectory();
        SuiteSpec suite = SuiteFile.Load(TestWorkloads.WriteSuite(dir.Path, options: new { points = 50, hidden = 8 }));

        Assert.NotNull(suite.External);
        Assert.Null(suite.Data);
        Assert.Null(suite.Model);
        Assert.Equal(WorkloadFacts.RealInputs, suite.Facts);
        Assert.Equal("rings mlp(2-8-8-3, silu)", suite.ModelDescription);
        Assert.Same(suite.External, suite.CreateWorkload());
        var context = System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(suite.External!.GetType().Assembly);
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, context);
        Assert.StartsWith("workload Tuner.TestWorkloads.dll", context!.Name, StringComparison.Ordinal);

        // Read twice (a search resolves its suite more than once): one load context, two instances.
        SuiteSpec again = SuiteFile.Load(TestWorkloads.WriteSuite(dir.Path, name: "rings2"));
        Assert.Same(suite.External.GetType(), again.External!.GetType());
        Assert.NotSame(suite.External, again.External);
    }

    [Fact]
    public void SuiteFile_AssemblyPath_IsRelativeToTheSuiteFile()
    {
        using var dir = new TempDirectory();
        string relative = Path.GetRelativePath(dir.Path, TestWorkloads.AssemblyPath);
        SuiteSpec suite = SuiteFile.Load(TestWorkloads.WriteSuite(dir.Path, assembly: relative));

        Assert.Equal(TestWorkloads.AssemblyPath, suite.Workload!.AssemblyPath);
    }

    [Fact]
    public void MissingAssembly_IsOneLineNamingTheFileAndTheBuild()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(TestWorkloads.WriteSuite(dir.Path, assembly: "bin/Release/net10.0/Nowhere.dll")));

        OneLineAssert.Message(ex, "suite file 'rings.json'", "Nowhere.dll' not found", "dotnet build -c Release", "relative to the suite file");
    }

    [Fact]
    public void NotAnAssembly_IsOneLine()
    {
        using var dir = new TempDirectory();
        string fake = dir.WriteText("Fake.dll", "not a PE file");
        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(TestWorkloads.WriteSuite(dir.Path, assembly: fake)));

        OneLineAssert.Message(ex, "suite file 'rings.json'", "is not a .NET assembly");
    }

    [Fact]
    public void UnknownType_IsOneLineListingTheWorkloadsTheAssemblyHas()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(TestWorkloads.WriteSuite(dir.Path, type: "Tuner.TestWorkloads.Rings")));

        OneLineAssert.Message(ex, "has no type 'Tuner.TestWorkloads.Rings'", "use the full name", "Tuner.TestWorkloads.RingsWorkload");
    }

    [Fact]
    public void TypeThatIsNotAWorkload_IsOneLine()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(TestWorkloads.WriteSuite(dir.Path, type: "NotAWorkload")));

        OneLineAssert.Message(ex, "'Tuner.TestWorkloads.NotAWorkload' does not implement Tuner.Training.Workloads.IWorkload");
    }

    [Fact]
    public void ConstructorThatThrows_IsOneLineWithItsMessage()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(TestWorkloads.WriteSuite(dir.Path, type: "ThrowingWorkload")));

        OneLineAssert.Message(ex, "suite file 'rings.json', workload", "the constructor of 'Tuner.TestWorkloads.ThrowingWorkload' threw InvalidOperationException: the rings licence file is missing");
    }

    [Fact]
    public void OptionsOfAWorkloadWithoutAnOptionsConstructor_AreRefused()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(TestWorkloads.WriteSuite(dir.Path, type: "ThrowingWorkload", options: new { points = 3 })));

        OneLineAssert.Message(ex, "takes no options", "remove \"options\"");
    }

    [Fact]
    public void BadOption_IsTheWorkloadsOneLineNamingTheSuiteFileAndOption()
    {
        using var dir = new TempDirectory();
        var unknown = Assert.Throws<TunerInputException>(() => SuiteFile.Load(TestWorkloads.WriteSuite(dir.Path, options: new { pionts = 3 })));
        var wrongType = Assert.Throws<TunerInputException>(() => SuiteFile.Load(TestWorkloads.WriteSuite(dir.Path, options: new { points = "many" })));

        OneLineAssert.Message(unknown, "threw ArgumentException", "suite file 'rings.json', workload options: unknown option 'pionts': use points, hidden, noise");
        OneLineAssert.Message(wrongType, "option 'points' must be a whole number, got \"many\"");
    }

    [Fact]
    public void ClaimingTheBuiltInModelFact_IsRefused()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(TestWorkloads.WriteSuite(dir.Path, type: "BuiltInClaimWorkload")));

        OneLineAssert.Message(ex, "declares BuiltInModel", "remove it from Facts");
    }

    [Theory]
    [InlineData("data", "{\"dataset\": \"digits\"}")]
    [InlineData("model", "{\"kind\": \"mlp\"}")]
    [InlineData("augment", "{\"horizontal_flip\": true}")]
    public void WorkloadWithDescribedDataOrModel_IsRefused(string field, string value)
    {
        using var dir = new TempDirectory();
        string path = TestWorkloads.WriteSuite(dir.Path);
        string text = File.ReadAllText(path);
        File.WriteAllText(path, text.Insert(text.LastIndexOf('}'), $", \"{field}\": {value}"));

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(path));

        OneLineAssert.Message(ex, $"field '{field}' does not go with 'workload'");
    }

    [Fact]
    public void MalformedWorkloadEntry_IsOneLineWithAnExample()
    {
        using var dir = new TempDirectory();
        string path = dir.WriteText("w.json", "{\"name\": \"w\", \"workload\": {\"assembly\": \"My.dll\"}, \"target\": {\"metric\": \"accuracy\", \"value\": 0.9}, \"budget\": \"10s\"}");

        var ex = Assert.Throws<TunerInputException>(() => SuiteFile.Load(path));

        OneLineAssert.Message(ex, "missing field 'type'", "\"workload\": {\"assembly\": \"bin/Release/net10.0/My.dll\", \"type\": \"My.Workload\"");
    }
}
