using Tuner.Core.Errors;
using Tuner.Core.Files;
using Tuner.Core.Json;

namespace Tuner.Core.Tests.Input;

/// <summary>The shared rules for what users type: secrets masked, paths checked before work, one strict JSON reading.</summary>
public sealed class InputRulesTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-input").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData("postgres://tuner:hunter2@db:5432/t", "postgres://tuner:***@db:5432/t")]
    [InlineData("mysql://u:hunter2@h/x", "mysql://u:***@h/x")]
    [InlineData("Host=h;Username=u;Password=hunter2;Database=d", "Host=h;Username=u;Password=***;Database=d")]
    [InlineData("postgres://u@h/d?sslpassword=hunter2&x=1", "postgres://u@h/d?sslpassword=***&x=1")]
    [InlineData("give postgres://USER:PASSWORD@HOST:PORT/DATABASE", "give postgres://USER:PASSWORD@HOST:PORT/DATABASE")]
    [InlineData("results/studies.db", "results/studies.db")]
    public void Mask_HidesEveryPasswordAndKeepsTheRest(string text, string expected)
    {
        Assert.Equal(expected, Secrets.Mask(text));
        Assert.DoesNotContain("hunter2", Secrets.Mask(text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://u:pw@h/d", true)]
    [InlineData("u:pw@host/db", true)]
    [InlineData("x;Password=pw", true)]
    [InlineData("results/studies.db", false)]
    [InlineData("ema:decay=0.99", false)]
    [InlineData("optimizer=adam:beta1=0.9", false)]
    [InlineData("postgres://u@h/d", false)]
    public void HasCredentials_RecognisesUserPasswordAndPasswordParameters(string text, bool expected)
    {
        Assert.Equal(expected, Secrets.HasCredentials(text));
    }

    [Theory]
    [InlineData("", "--out is empty")]
    [InlineData("   ", "--out is empty")]
    [InlineData("http://h/x", "looks like a URL, not a path")]
    [InlineData("u:hunter2@h/x", "looks like a URL, not a path")]
    [InlineData("a\0b", "is not a valid path")]
    [InlineData("afile/x.csv", "lies below")]
    [InlineData("folder", "is a folder: give a file path")]
    [InlineData("/proc/tuner-none/x.csv", "cannot write in /proc")]
    public void File_RefusesWhatCanNeverBeWrittenBeforeAnyWork(string value, string expected)
    {
        File.WriteAllText(Path.Combine(_dir, "afile"), "x");
        Directory.CreateDirectory(Path.Combine(_dir, "folder"));

        var ex = Assert.Throws<TunerInputException>(() => UserPaths.File(value, "--out", _dir));

        OneLineAssert.Message(ex, expected);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', ex.Message);
        Assert.Equal(["afile", "folder"], Directory.EnumerateFileSystemEntries(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void File_NameLongerThanTheFileSystemAllows_IsOneLineNamingTheLimit()
    {
        var ex = Assert.Throws<TunerInputException>(() => UserPaths.File(new string('a', 300) + ".csv", "--report", _dir));

        OneLineAssert.Message(ex, "is too long: a name in a path may have at most 255 bytes", "(304 characters)");
    }

    [Fact]
    public void Folder_AFileOrDeviceIsRefused_AnExistingFileIsFineForFile()
    {
        File.WriteAllText(Path.Combine(_dir, "afile"), "x");

        OneLineAssert.Message(Assert.Throws<TunerInputException>(() => UserPaths.Folder("afile", "--data-dir", _dir)), "--data-dir afile is a file");
        OneLineAssert.Message(Assert.Throws<TunerInputException>(() => UserPaths.Folder("/dev/null", "--out", _dir)), "--out /dev/null is a file");
        Assert.Equal("/dev/null", UserPaths.File("/dev/null", "--out", _dir));
        Assert.Equal(Path.Combine(_dir, "new", "deeper"), UserPaths.Folder("new/deeper", "--out", _dir));
        Assert.False(Directory.Exists(Path.Combine(_dir, "new")), "checking a path creates nothing");
    }

    [Theory]
    [InlineData("""{ "a": 1, "a": 2 }""", "a key is given twice ('a'): give it once")]
    [InlineData("""{ "a": 1 """, "is not valid JSON (line 1): fix the syntax")]
    public void Parse_DuplicateKeysAndSyntaxErrors_AreOneLineWithTheSource(string json, string expected)
    {
        var ex = Assert.Throws<TunerInputException>(() => StrictJson.Parse(json, "space file x.json"));

        OneLineAssert.Message(ex, "space file x.json", expected);
    }

    [Fact]
    public void Parse_CommentsAndTrailingCommas_AreAllowed()
    {
        using var document = StrictJson.Parse("{ \"a\": 1, // a comment\n \"b\": [1, 2,], }", "x");

        Assert.Equal(2, document.RootElement.GetProperty("b").GetArrayLength());
    }

    [Fact]
    public void Parse_NestingDeeperThanTheLimit_IsOneLine()
    {
        string deep = new string('[', StrictJson.MaxDepth + 1) + new string(']', StrictJson.MaxDepth + 1);

        OneLineAssert.Message(Assert.Throws<TunerInputException>(() => StrictJson.Parse(deep, "manifest m.json")), "manifest m.json is not valid JSON");
    }

    [Fact]
    public void KnownKeys_AnUnknownKey_NamesItSuggestsTheNearestAndListsTheValidOnes()
    {
        using var document = StrictJson.Parse("""{ "name": "x", "budjet": "5s" }""", "x");

        var ex = Assert.Throws<TunerInputException>(() => StrictJson.KnownKeys(document.RootElement, "suite file 'x.json'", "name", "budget"));

        OneLineAssert.Message(ex, "suite file 'x.json': unknown key 'budjet' (did you mean 'budget'?): valid keys are name, budget");
    }

    [Fact]
    public void AtMostOne_TwoExclusiveKeys_NamesBoth()
    {
        using var document = StrictJson.Parse("""{ "dataset": "digits", "path": "t.csv" }""", "x");

        var ex = Assert.Throws<TunerInputException>(() => StrictJson.AtMostOne(document.RootElement, "field 'data'", "dataset", "path"));

        OneLineAssert.Message(ex, "field 'data': 'dataset' and 'path' exclude each other");
    }

    [Theory]
    [InlineData("missing.json", "not found")]
    [InlineData("folder", "is a folder")]
    [InlineData("/dev/zero", "is empty or not a regular file")]
    [InlineData("empty.json", "is empty or not a regular file")]
    [InlineData("loop.json", "cannot read suite file")]
    [InlineData("big.json", "larger than the 1024 KiB")]
    public void ReadFile_WhatIsNotAReadableJsonFile_IsOneLine(string name, string expected)
    {
        Directory.CreateDirectory(Path.Combine(_dir, "folder"));
        File.WriteAllText(Path.Combine(_dir, "empty.json"), string.Empty);
        File.WriteAllText(Path.Combine(_dir, "big.json"), "[" + new string(' ', (int)StrictJson.MaxFileBytes) + "]");
        File.CreateSymbolicLink(Path.Combine(_dir, "loop.json"), Path.Combine(_dir, "loop2.json"));
        File.CreateSymbolicLink(Path.Combine(_dir, "loop2.json"), Path.Combine(_dir, "loop.json"));

        var ex = Assert.Throws<TunerInputException>(() => StrictJson.ReadFile(name.StartsWith('/') ? name : Path.Combine(_dir, name), "suite file"));

        OneLineAssert.Message(ex, expected);
    }
}
