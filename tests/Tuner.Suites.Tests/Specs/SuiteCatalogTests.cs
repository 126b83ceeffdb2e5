using Tuner.Core.Errors;
using Tuner.Suites.Specs;

namespace Tuner.Suites.Tests.Specs;

public sealed class SuiteCatalogTests
{
    [Theory]
    [InlineData("digits-mlp")]
    [InlineData("DIGITS-MLP")]
    public void Resolve_BuiltinName_IsCaseInsensitive(string name)
    {
        SuiteSpec suite = SuiteCatalog.Resolve(name);

        Assert.Equal("digits-mlp", suite.Name);
        Assert.Equal(Path.Combine(SuiteCatalog.BuiltinDirectory, "digits-mlp.json"), suite.SourcePath);
    }

    [Fact]
    public void Resolve_UnknownName_ThrowsOneLineErrorListingBuiltins()
    {
        var ex = Assert.Throws<TunerInputException>(() => SuiteCatalog.Resolve("cifar-resnet"));

        OneLineAssert.Message(ex, "unknown suite 'cifar-resnet'", "digits-mlp", "fashion-cnn", "fashion-mlp");
    }

    [Fact]
    public void Resolve_JsonPathThatDoesNotExist_ThrowsNotFoundRatherThanUnknownSuite()
    {
        var ex = Assert.Throws<TunerInputException>(() => SuiteCatalog.Resolve("missing-suite.json"));

        OneLineAssert.Message(ex, "missing-suite.json' not found");
    }
}
