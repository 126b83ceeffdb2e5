using System.IO.Compression;

namespace Tuner.Data;

/// <summary>Opens data files, decompressing gzip when the file starts with the gzip magic bytes 1f 8b.</summary>
internal static class DataFile
{
    private const int FileBufferSize = 1 << 20;

    public static Stream OpenRead(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            throw new DataFormatException(path, null, null, "is a folder", "point the data path at a data file");
        }

        if (!File.Exists(path))
        {
            throw new DataFormatException(path, null, null, "not found", "check the data path (relative paths are relative to the suite file)");
        }

        // Devices, pipes and /proc files report length 0 and may never end (/dev/zero): only regular, non-empty files are data.
        if (new FileInfo(path) is { Exists: true, Length: 0 })
        {
            throw new DataFormatException(path, null, null, "is empty or not a regular file", "point the data path at a data file");
        }

        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileBufferSize, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw new DataFormatException(path, null, null, $"cannot be read ({ex.GetType().Name})", "check the path and its permissions", ex);
        }

        try
        {
            Span<byte> magic = stackalloc byte[2];
            int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b
                ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false)
                : file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public static StreamReader OpenText(string path) =>
        new(OpenRead(path), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
}
