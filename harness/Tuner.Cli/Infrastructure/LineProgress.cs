using Spectre.Console;
namespace Tuner.Cli.Infrastructure;

/// <summary>An <see cref="IProgress{T}"/> that writes each report as a line, synchronously (no thread-pool hop).</summary>
public sealed class LineProgress(CliContext cli) : IProgress<string>
{
    public void Report(string value) => cli.Console.WriteLine(value);
}
