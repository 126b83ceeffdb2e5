using Tuner.Core.Errors;

namespace Tuner.Core.Files;

/// <summary>
/// Checks for the paths a user names for a command to write into (-o, --out, --report, --readme, --data-dir), before
/// anything runs: each is a one-line <see cref="TunerInputException"/> naming the option and the fix, never an internal
/// error halfway through: an empty value, a file where a folder is needed (or the reverse), a path below a file.
/// </summary>
public static class UserPaths
{
    /// <summary>A file to write: <paramref name="value"/> made absolute; it may exist (it is appended to or replaced) but must not be a folder.</summary>
    public static string File(string value, string option, string baseDirectory)
    {
        string full = Full(value, option, baseDirectory);
        if (Directory.Exists(full))
        {
            throw new TunerInputException($"{option} {value} is a folder: give a file path");
        }

        CheckAncestors(full, option, value);
        return full;
    }

    /// <summary>A folder to write into (created when missing): <paramref name="value"/> made absolute; it must not be a file.</summary>
    public static string Folder(string value, string option, string baseDirectory)
    {
        string full = Full(value, option, baseDirectory);
        if (System.IO.File.Exists(full))
        {
            throw new TunerInputException($"{option} {value} is a file: give a folder (it is created when missing)");
        }

        CheckAncestors(full, option, value);
        return full;
    }

    /// <summary>A one-line error for an empty value, else <paramref name="value"/> made absolute.</summary>
    public static string Full(string value, string option, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new TunerInputException($"{option} is empty: give a path, or leave the option out for its default");
        }

        if (value.Contains("://", StringComparison.Ordinal) || Secrets.HasCredentials(value))
        {
            throw new TunerInputException($"{option} {Secrets.Mask(value)} looks like a URL, not a path: give a file system path");
        }

        string full;
        try
        {
            full = Path.GetFullPath(value, baseDirectory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new TunerInputException($"{option} '{Short(value)}' is not a valid path: give a file system path", ex);
        }

        if (System.Text.Encoding.UTF8.GetByteCount(full) >= MaxPathBytes
            || full.Split(Path.DirectorySeparatorChar).Any(name => System.Text.Encoding.UTF8.GetByteCount(name) > MaxNameBytes))
        {
            throw new TunerInputException($"{option} '{Short(value)}' is too long: a name in a path may have at most {MaxNameBytes} bytes, the whole path {MaxPathBytes - 1}");
        }

        return full;
    }

    /// <summary>The longest name of one file or folder (Linux NAME_MAX).</summary>
    public const int MaxNameBytes = 255;

    /// <summary>The longest path, with its terminating NUL (Linux PATH_MAX).</summary>
    public const int MaxPathBytes = 4096;

    /// <summary>A value cut for a one-line message.</summary>
    private static string Short(string value)
    {
        string printable = new([.. value.Select(ch => char.IsControl(ch) ? '?' : ch)]);
        return printable.Length <= 80 ? printable : string.Concat(printable.AsSpan(0, 40), $"...({printable.Length} characters)");
    }

    /// <summary>
    /// Every existing ancestor of <paramref name="full"/> must be a folder (a path below a file can never be created), and
    /// the nearest one must let us create there (probed by making and removing an empty folder, so an unwritable place
    /// such as /proc or a read-only mount fails now, not after the work it was to record).
    /// </summary>
    public static void CheckAncestors(string full, string option, string value)
    {
        for (string? parent = Path.GetDirectoryName(full); !string.IsNullOrEmpty(parent); parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent))
            {
                ProbeWritable(parent, option, value);
                return;
            }

            if (System.IO.File.Exists(parent))
            {
                throw new TunerInputException($"{option} {value} lies below {parent}, which is a file: give a path in a folder");
            }
        }
    }

    private static void ProbeWritable(string folder, string option, string value)
    {
        string probe = Path.Combine(folder, $".tuner-probe-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(probe);
            Directory.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new TunerInputException($"{option} {value}: cannot write in {folder} ({ex.GetType().Name}): give a path in a folder you can write to", ex);
        }
    }
}
