using System.Text;

namespace Tuner.Data;

/// <summary>
/// The King James Bible text of <see cref="KnownDatasets.BibleKjv"/> as bytes (ASCII; a character-level language
/// model's tokens), split into three contiguous parts at book boundaries, the way enwik8 and text8 are split by
/// position: train = Genesis to Acts (3,898,188 bytes, 90.7%), validation = Romans to Philemon, Paul's letters
/// (241,125 bytes, 5.6%), test = Hebrews to Revelation (158,926 bytes, 3.7%). Each boundary is the newline before the
/// book's first chapter heading ("Romans 1", "Hebrews 1"), which belongs to the part that follows.
/// </summary>
public sealed class BibleText
{
    public const string ValidationStartsAt = "Romans 1";

    public const string TestStartsAt = "Hebrews 1";

    private BibleText(byte[] text, int validationStart, int testStart)
    {
        Text = text;
        ValidationStart = validationStart;
        TestStart = testStart;
    }

    /// <summary>The whole text.</summary>
    public byte[] Text { get; }

    /// <summary>Offset of the validation part (Romans 1's heading line, after the newline that ends Acts).</summary>
    public int ValidationStart { get; }

    /// <summary>Offset of the test part (Hebrews 1's heading line).</summary>
    public int TestStart { get; }

    public ReadOnlyMemory<byte> Train => Text.AsMemory(0, ValidationStart);

    public ReadOnlyMemory<byte> Validation => Text.AsMemory(ValidationStart, TestStart - ValidationStart);

    public ReadOnlyMemory<byte> Test => Text.AsMemory(TestStart);

    /// <summary>Reads and splits the text; a file that is not that text (no ASCII, no book headings in order) is a one-line <see cref="DataFormatException"/>.</summary>
    public static BibleText Read(string path)
    {
        byte[] text;
        try
        {
            text = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, null, null, $"cannot be read ({e.GetType().Name})", "fetch it again: tuner fetch --dataset bible-kjv", e);
        }

        int bad = Array.FindIndex(text, b => b is > 126 or (< 32 and not (byte)'\n'));
        if (text.Length == 0 || bad >= 0)
        {
            throw new DataFormatException(path, null, null,
                text.Length == 0 ? "file is empty" : $"byte {bad} is not printable ASCII",
                "expected the King James Bible as printed by Debian's bible program: tuner fetch --dataset bible-kjv");
        }

        int validation = Heading(text, ValidationStartsAt, 0, path);
        int test = Heading(text, TestStartsAt, validation, path);
        return new BibleText(text, validation, test);
    }

    private static int Heading(byte[] text, string heading, int from, string path)
    {
        byte[] marker = Encoding.ASCII.GetBytes("\n" + heading + "\n");
        int at = text.AsSpan(from).IndexOf(marker);
        return at < 0
            ? throw new DataFormatException(path, null, null, $"has no chapter heading \"{heading}\" after offset {from}",
                "expected the King James Bible as printed by Debian's bible program: tuner fetch --dataset bible-kjv")
            : from + at + 1;
    }
}
