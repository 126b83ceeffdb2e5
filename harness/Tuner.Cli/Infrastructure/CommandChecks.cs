using Tuner.Core.Errors;
using Tuner.Core.Files;

namespace Tuner.Cli.Infrastructure;

/// <summary>The checks several commands share on their options, each a one-line input error naming the option and the fix.</summary>
internal static class CommandChecks
{
    /// <summary>The largest seed any command takes (2^31 - 1: every seed fits the random generators of every library).</summary>
    public const long MaxSeed = int.MaxValue;

    /// <summary>
    /// A torch thread count: at least 1, and at most the machine's cores unless <paramref name="oversubscribe"/> (more
    /// threads than cores only slow training down: 20 steps of digits took 16-20 s at 1000 threads instead of 0.6 s).
    /// </summary>
    public static void Threads(int? threads, bool oversubscribe, string option = "--threads")
    {
        if (threads is not int n)
        {
            return;
        }

        if (n < 1)
        {
            throw new TunerInputException($"{option} {n} is invalid: use a whole number >= 1 (this machine has {Environment.ProcessorCount} cores)");
        }

        if (n > Environment.ProcessorCount && !oversubscribe)
        {
            throw new TunerInputException($"{option} {n} is more than this machine's {Environment.ProcessorCount} cores, which only slows training down: use at most {Environment.ProcessorCount}, or add --oversubscribe to insist");
        }

        if (n > 1024)
        {
            throw new TunerInputException($"{option} {n} is invalid: use at most 1024");
        }
    }

    /// <summary>A seed, or the first of <paramref name="count"/> consecutive seeds: whole numbers in [0, <see cref="MaxSeed"/>].</summary>
    public static void Seed(long seed, string option, int count = 1)
    {
        if (seed < 0 || seed > MaxSeed - Math.Max(0, count - 1))
        {
            throw new TunerInputException(count > 1
                ? $"{option} {seed} is invalid: use a whole number from 0 to {MaxSeed - (count - 1)} (the {count} seeds from it must stay <= {MaxSeed})"
                : $"{option} {seed} is invalid: use a whole number from 0 to {MaxSeed}");
        }
    }

    /// <summary>
    /// The data cache a command was given, as an absolute folder (relative to <paramref name="baseDirectory"/>), or null for
    /// the default: empty, a file, a path below a file, a URL or an unwritable place is a one-line error before anything runs.
    /// </summary>
    public static string? DataDirectory(string? value, string baseDirectory, string option = "--data-dir") =>
        value is null ? null : UserPaths.Folder(value, option, baseDirectory);

    /// <summary>Adaptive capping's factor: 0 (off) or a finite factor >= 1.</summary>
    public static void Cap(double cap)
    {
        if (!(cap >= 0) || double.IsInfinity(cap) || (cap > 0 && cap < 1))
        {
            throw new TunerInputException($"--cap {cap.ToString(System.Globalization.CultureInfo.InvariantCulture)} is invalid: use 0 (off) or a factor >= 1, e.g. --cap 2");
        }
    }

    /// <summary>An option given as an empty string (which would otherwise fall back silently to its default).</summary>
    public static void NotEmpty(string? value, string option)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            throw new TunerInputException($"{option} is empty: give a value, or leave the option out for its default");
        }
    }
}
