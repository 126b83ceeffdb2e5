namespace Tuner.Plots.Tests;

public sealed class PlotFontsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-fonts").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private static string SystemFont() => PlotFonts.Locate(null, PlotFonts.DefaultFolders()).Regular;

    [Fact]
    public void Locate_NoFontInFolders_ThrowsOneLineMessageSayingWhatToInstall()
    {
        File.WriteAllText(Path.Combine(_dir, "readme.txt"), "no fonts here");

        var ex = Assert.Throws<InvalidOperationException>(() => PlotFonts.Locate(null, [_dir, Path.Combine(_dir, "missing")]));

        OneLineAssert.Message(ex, "fonts-dejavu-core", PlotFonts.OverrideVariable, _dir);
    }

    [Fact]
    public void Locate_OverrideThatIsNotAFont_ThrowsOneLineMessage()
    {
        string fake = Path.Combine(_dir, "fake.ttf");
        File.WriteAllText(fake, "not a font");

        var ex = Assert.Throws<InvalidOperationException>(() => PlotFonts.Locate(fake, PlotFonts.DefaultFolders()));

        OneLineAssert.Message(ex, PlotFonts.OverrideVariable, fake);
    }

    [Fact]
    public void Locate_CorruptFileBesideAGoodOne_SkipsTheCorruptOne()
    {
        File.WriteAllText(Path.Combine(_dir, "Aaa.ttf"), "not a font");
        string good = Path.Combine(_dir, "sub", "Zzz.ttf");
        Directory.CreateDirectory(Path.GetDirectoryName(good)!);
        File.Copy(SystemFont(), good);

        (string regular, string? bold) = PlotFonts.Locate(null, [_dir]);

        Assert.Equal(good, regular);
        Assert.Null(bold);
    }

    [Fact]
    public void Locate_PreferredFaceWithBoldBeside_IsChosenWithItsBold()
    {
        string font = SystemFont();
        File.Copy(font, Path.Combine(_dir, "Aaa-Italic.ttf"));
        File.Copy(font, Path.Combine(_dir, "Plain.ttf"));
        File.Copy(font, Path.Combine(_dir, "DejaVuSans.ttf"));
        File.Copy(font, Path.Combine(_dir, "DejaVuSans-Bold.ttf"));

        (string regular, string? bold) = PlotFonts.Locate(null, [_dir]);

        Assert.Equal(Path.Combine(_dir, "DejaVuSans.ttf"), regular);
        Assert.Equal(Path.Combine(_dir, "DejaVuSans-Bold.ttf"), bold);
    }

    [Fact]
    public void Locate_NoPreferredFace_TakesAPlainOneBeforeStyledOnes()
    {
        string font = SystemFont();
        File.Copy(font, Path.Combine(_dir, "Aaa-BoldItalic.ttf"));
        File.Copy(font, Path.Combine(_dir, "Plain.ttf"));

        Assert.Equal(Path.Combine(_dir, "Plain.ttf"), PlotFonts.Locate(null, [_dir]).Regular);
    }
}
