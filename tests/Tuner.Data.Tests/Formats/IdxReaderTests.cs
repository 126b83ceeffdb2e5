namespace Tuner.Data.Tests.Formats;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_ValidFile_RoundTripsPixelsAndShape(bool gzip)
    {
        byte[] pixels = IdxFiles.Pattern(3 * 4 * 5);
        string path = IdxFiles.Write(_dir.File(gzip ? "img.gz" : "img"), IdxFiles.Images(3, 4, 5, pixels), gzip);

        var images = IdxReader.ReadImages(path);

        Assert.Equal(3, images.Count);
        Assert.Equal(4, images.Rows);
        Assert.Equal(5, images.Columns);
        Assert.Equal(pixels, images.Pixels);
        Assert.Equal(pixels.AsSpan(40, 20).ToArray(), images.Image(2).ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadLabels_ValidFile_RoundTripsLabels(bool gzip)
    {
        byte[] labels = [0, 9, 3, 3, 7];
        string path = IdxFiles.Write(_dir.File(gzip ? "lab.gz" : "lab"), IdxFiles.Labels(labels), gzip);

        Assert.Equal(labels, IdxReader.ReadLabels(path));
    }

    [Fact]
    public void ReadImages_ZeroImages_ReturnsEmptySet()
    {
        string path = IdxFiles.Write(_dir.File("empty"), IdxFiles.Images(0, 28, 28, []), gzip: false);

        var images = IdxReader.ReadImages(path);

        Assert.Equal(0, images.Count);
        Assert.Empty(images.Pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_TruncatedPixels_ThrowsNamingFileAndSizes(bool gzip)
    {
        byte[] full = IdxFiles.Images(3, 4, 5, IdxFiles.Pattern(60));
        string path = IdxFiles.Write(_dir.File("cut"), full[..^7], gzip);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        ErrorAssert.OneLine(e, path, "truncated", "3 images of 4x5", "60 bytes", "only 53");
    }

    [Fact]
    public void ReadImages_TruncatedHeader_Throws()
    {
        string path = IdxFiles.Write(_dir.File("short"), IdxFiles.Images(3, 4, 5, [])[..10], gzip: false);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        ErrorAssert.OneLine(e, path, "truncated", "16-byte header");
    }

    [Fact]
    public void ReadImages_GzipStreamCutInHalf_ThrowsDataFormatException()
    {
        string whole = IdxFiles.Write(_dir.File("whole.gz"), IdxFiles.Images(50, 28, 28, IdxFiles.Pattern(50 * 784)), gzip: true);
        byte[] compressed = File.ReadAllBytes(whole);
        string path = _dir.File("half.gz");
        File.WriteAllBytes(path, compressed[..(compressed.Length / 2)]);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        ErrorAssert.OneLine(e, path, "fetch it again");
    }

    [Fact]
    public void ReadImages_LabelFile_ThrowsBadMagicWithHint()
    {
        string path = IdxFiles.Write(_dir.File("labels"), IdxFiles.Labels([1, 2]), gzip: true);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        ErrorAssert.OneLine(e, path, "magic number 0x00000801", "expected 0x00000803", "label file");
    }

    [Fact]
    public void ReadLabels_GarbageFile_ThrowsBadMagic()
    {
        string path = _dir.WriteText("labels.txt", "this is not an idx file at all");

        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadLabels(path));

        ErrorAssert.OneLine(e, path, "not an IDX label file", "expected 0x00000801");
    }

    [Fact]
    public void ReadImages_DataAfterPromisedImages_Throws()
    {
        string path = IdxFiles.Write(_dir.File("long"), IdxFiles.Images(1, 2, 2, IdxFiles.Pattern(5)), gzip: false);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        ErrorAssert.OneLine(e, path, "data after the 1 image of 2x2");
    }

    [Fact]
    public void ReadImages_NegativeDimension_Throws()
    {
        string path = IdxFiles.Write(_dir.File("neg"), IdxFiles.Images(2, -4, 5, []), gzip: false);

        var e = Assert.Throws<DataFormatException>(() => IdxReader.ReadImages(path));

        ErrorAssert.OneLine(e, path, "impossible dimensions 2 x -4 x 5");
    }
}
