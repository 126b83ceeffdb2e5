using ScottPlot;
using SkiaSharp;

namespace Tuner.Plots;

/// <summary>
/// The one font every chart draws its text with, loaded from a font file rather than looked up by family name: the
/// Linux Skia build ScottPlot ships has no fontconfig, and a name it cannot find silently draws no text. A machine
/// without a usable font fails with a one-line message instead of writing a chart without text.
/// </summary>
internal static class PlotFonts
{
    /// <summary>Environment variable naming a .ttf/.otf file to use instead of searching the font folders.</summary>
    public const string OverrideVariable = "TUNER_PLOT_FONT";

    /// <summary>The family name the charts ask ScottPlot for; resolved to the located files only.</summary>
    public const string Family = "Tuner Plots Sans";

    // Regular faces in order of preference; the bold face is looked up beside the one found.
    private static readonly string[] PreferredFiles =
    [
        "DejaVuSans.ttf", "LiberationSans-Regular.ttf", "NotoSans-Regular.ttf", "FreeSans.ttf", "Arial.ttf", "arial.ttf",
        "segoeui.ttf", "Helvetica.ttc",
    ];

    private static readonly string[] StyleWords = ["bold", "italic", "oblique", "light", "thin", "black", "condensed", "mono", "serif"];

    private static readonly Lazy<string> Registered = new(Register, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Locates and registers the font once per process; returns <see cref="Family"/> or throws.</summary>
    public static string Ensure() => Registered.Value;

    /// <summary>The folders searched, in order, when <see cref="OverrideVariable"/> is not set.</summary>
    public static IReadOnlyList<string> DefaultFolders()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string windows = Environment.GetFolderPath(Environment.SpecialFolder.Fonts);
        List<string> folders =
        [
            "/usr/share/fonts", "/usr/local/share/fonts", Path.Combine(home, ".local/share/fonts"), Path.Combine(home, ".fonts"),
            "/System/Library/Fonts", "/Library/Fonts",
        ];
        if (!string.IsNullOrEmpty(windows))
        {
            folders.Add(windows);
        }

        return folders;
    }

    /// <summary>
    /// The regular (and, where one sits beside it, bold) font file to draw with: <paramref name="overridePath"/> when
    /// given, else the first usable file under <paramref name="folders"/>, preferring common sans-serif faces.
    /// </summary>
    /// <exception cref="InvalidOperationException">No usable font; the one-line message says what to install.</exception>
    public static (string Regular, string? Bold) Locate(string? overridePath, IReadOnlyList<string> folders)
    {
        ArgumentNullException.ThrowIfNull(folders);
        if (!string.IsNullOrWhiteSpace(overridePath))
        {
            return IsUsable(overridePath)
                ? (overridePath, null)
                : throw new InvalidOperationException(
                    $"{OverrideVariable}={overridePath} is not a readable TrueType/OpenType font with Latin glyphs; point it at a .ttf file or unset it.");
        }

        var files = folders.Where(Directory.Exists).SelectMany(FontFiles).ToList();
        IEnumerable<string> preferred = PreferredFiles.SelectMany(name => files.Where(f => Path.GetFileName(f) == name));
        IEnumerable<string> plain = files.Where(f => !StyleWords.Any(w => Path.GetFileNameWithoutExtension(f).Contains(w, StringComparison.OrdinalIgnoreCase)));
        foreach (string candidate in preferred.Concat(plain).Concat(files))
        {
            if (IsUsable(candidate))
            {
                return (candidate, BoldBeside(candidate));
            }
        }

        throw new InvalidOperationException(
            $"No usable font for chart text (searched {string.Join(", ", folders)}): install one (Debian/Ubuntu: apt-get install fonts-dejavu-core) or set {OverrideVariable} to a .ttf file.");
    }

    private static string Register()
    {
        (string regular, string? bold) = Locate(Environment.GetEnvironmentVariable(OverrideVariable), DefaultFolders());
        Fonts.FontResolvers.Insert(0, new Resolver(regular, bold ?? regular));

        // Text the charts do not style explicitly (ScottPlot creates some) gets the located font too.
        Fonts.Default = Family;
        return Family;
    }

    private static IEnumerable<string> FontFiles(string folder)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive };
        return Directory.EnumerateFiles(folder, "*", options)
            .Where(f => Path.GetExtension(f).ToUpperInvariant() is ".TTF" or ".OTF" or ".TTC")
            .Order(StringComparer.Ordinal);
    }

    private static string? BoldBeside(string regular)
    {
        string folder = Path.GetDirectoryName(regular) ?? ".";
        string stem = Path.GetFileNameWithoutExtension(regular);
        string extension = Path.GetExtension(regular);
        string baseStem = stem.EndsWith("-Regular", StringComparison.Ordinal) ? stem[..^"-Regular".Length] : stem;
        string[] names = [baseStem + "-Bold" + extension, stem + "bd" + extension, stem + "b" + extension];
        return names.Select(n => Path.Combine(folder, n)).FirstOrDefault(p => File.Exists(p) && IsUsable(p));
    }

    private static bool IsUsable(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        using SKTypeface? typeface = SKTypeface.FromFile(path);
        if (typeface is null || typeface.GlyphCount == 0)
        {
            return false;
        }

        using SKFont font = new(typeface);
        return font.ContainsGlyphs("Aag0.9,:()-");
    }

    /// <summary>Answers <see cref="Family"/> (any weight or slant) with the located files and nothing else.</summary>
    private sealed class Resolver(string regular, string bold) : IFontResolver
    {
        public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing spacing) =>
            fontName == Family ? SKTypeface.FromFile(weight >= FontWeight.SemiBold ? bold : regular) : null;

        public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) =>
            CreateTypeface(fontName, bold ? FontWeight.Bold : FontWeight.Normal, FontSlant.Upright, FontSpacing.Normal);
    }
}
