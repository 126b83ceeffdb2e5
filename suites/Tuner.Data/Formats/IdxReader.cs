using System.Buffers.Binary;
using System.Globalization;

namespace Tuner.Data;

/// <summary>
/// Reads IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or raw. Images: magic 0x00000803, count, rows,
/// columns (big-endian int32), then the pixels. Labels: magic 0x00000801, count, then one byte per label.
/// The data is read straight into the returned array.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic number of an IDX file of unsigned bytes with 3 dimensions (images).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned bytes with 1 dimension (labels).</summary>
    public const int LabelsMagic = 0x00000801;

    private const string Redownload = "the file is damaged or not an IDX file: delete it and fetch it again";

    public static ImageSet ReadImages(string path)
    {
        using var stream = DataFile.OpenRead(path);
        Span<byte> header = stackalloc byte[16];
        ReadHeader(stream, path, header, ImagesMagic, "image");
        int count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        int rows = BinaryPrimitives.ReadInt32BigEndian(header[8..]);
        int columns = BinaryPrimitives.ReadInt32BigEndian(header[12..]);
        if (count < 0 || rows <= 0 || columns <= 0)
        {
            throw new DataFormatException(path, null, null,
                $"IDX image header has impossible dimensions {count} x {rows} x {columns}", Redownload);
        }

        long total = (long)count * rows * columns;
        if (total > Array.MaxLength)
        {
            throw new DataFormatException(path, null, null,
                $"IDX image header promises {count} x {rows} x {columns} = {total} bytes, more than one array can hold", Redownload);
        }

        byte[] pixels = GC.AllocateUninitializedArray<byte>((int)total);
        ReadBody(stream, path, pixels, $"{Plural(count, "image")} of {rows}x{columns}");
        return new ImageSet(pixels, count, rows, columns);
    }

    public static byte[] ReadLabels(string path)
    {
        using var stream = DataFile.OpenRead(path);
        Span<byte> header = stackalloc byte[8];
        ReadHeader(stream, path, header, LabelsMagic, "label");
        int count = BinaryPrimitives.ReadInt32BigEndian(header[4..]);
        if (count < 0)
        {
            throw new DataFormatException(path, null, null, $"IDX label header has a negative count {count}", Redownload);
        }

        byte[] labels = GC.AllocateUninitializedArray<byte>(count);
        ReadBody(stream, path, labels, Plural(count, "label"));
        return labels;
    }

    /// <summary>Reads the magic number first (so a wrong kind of file is named as such), then the dimensions.</summary>
    private static void ReadHeader(Stream stream, string path, Span<byte> header, int expectedMagic, string kind)
    {
        int read = Read(stream, path, header[..4]);
        if (read == 4)
        {
            int magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic != expectedMagic)
            {
                string hint = (expectedMagic, magic) switch
                {
                    (ImagesMagic, LabelsMagic) => "this is a label file: pass the matching *-images-idx3-ubyte file",
                    (LabelsMagic, ImagesMagic) => "this is an image file: pass the matching *-labels-idx1-ubyte file",
                    _ => Redownload,
                };
                throw new DataFormatException(path, null, null,
                    $"not an IDX {kind} file: magic number {Hex(magic)}, expected {Hex(expectedMagic)}", hint);
            }

            read += Read(stream, path, header[4..]);
        }

        if (read < header.Length)
        {
            throw new DataFormatException(path, null, null,
                $"truncated IDX {kind} file: {read} bytes, shorter than the {header.Length}-byte header", Redownload);
        }
    }

    private static void ReadBody(Stream stream, string path, byte[] destination, string promised)
    {
        int read = Read(stream, path, destination);
        if (read < destination.Length)
        {
            throw new DataFormatException(path, null, null,
                $"truncated IDX file: the header promises {promised} ({destination.Length} bytes of data) but only {read} follow", Redownload);
        }

        Span<byte> probe = stackalloc byte[1];
        if (Read(stream, path, probe) != 0)
        {
            throw new DataFormatException(path, null, null,
                $"IDX file has data after the {promised} its header promises", Redownload);
        }
    }

    private static int Read(Stream stream, string path, Span<byte> buffer)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(path, null, null, $"corrupt gzip data ({e.Message})", Redownload, e);
        }
    }

    private static string Hex(int value) => "0x" + value.ToString("x8", CultureInfo.InvariantCulture);

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
