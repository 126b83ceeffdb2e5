namespace Tuner.Cli;

/// <summary>Exit codes of the <c>tuner</c> command (documented in the README).</summary>
public static class ExitCodes
{
    /// <summary>Success; for <c>tuner run</c>: the target was reached.</summary>
    public const int Ok = 0;

    /// <summary>An unexpected internal error (a bug): one line on stderr, stack trace with TUNER_DEBUG=1.</summary>
    public const int InternalError = 1;

    /// <summary>Bad input: unknown suite or technique, malformed budget, invalid file, unknown option.</summary>
    public const int BadInput = 2;

    /// <summary><c>tuner run</c>: training finished within the budget without reaching the target; <c>tuner recommend</c>: no configuration reached it on most seeds.</summary>
    public const int TargetNotReached = 3;

    /// <summary><c>tuner run</c>: the loss became NaN or infinite.</summary>
    public const int Diverged = 4;

    /// <summary><c>tuner run</c>: the trial failed (exception or crash inside training).</summary>
    public const int TrialFailed = 5;

    /// <summary>Data needed is missing and could not be fetched.</summary>
    public const int DataUnavailable = 6;

    /// <summary><c>tuner nightly</c>: a significant regression against the history (named on stderr and in the summary).</summary>
    public const int Regression = 7;

    /// <summary><c>tuner run</c>: the trial's peak memory exceeded <c>--memory-limit</c> (status over_memory).</summary>
    public const int OverMemory = 8;

    /// <summary><c>--launcher slurm</c>: the worker array ended with work left without finishing a trial (its log is quoted); finished trials are kept.</summary>
    public const int WorkersLost = 9;

    /// <summary>Interrupted (Ctrl-C, SIGINT).</summary>
    public const int Interrupted = 130;

    /// <summary>Terminated (SIGTERM, as schedulers and <c>docker stop</c> send): handled like Ctrl-C.</summary>
    public const int Terminated = 143;
}
