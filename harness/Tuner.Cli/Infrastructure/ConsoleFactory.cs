using Spectre.Console;

namespace Tuner.Cli.Infrastructure;

/// <summary>
/// Builds the console: ANSI and colours only on a real terminal. Redirected output (files, CI logs) gets plain text even
/// under CI=true (which otherwise makes Spectre emit escape codes), and NO_COLOR (no-color.org) switches colours off.
/// </summary>
public static class ConsoleFactory
{
    public static bool IsInteractive => !Console.IsOutputRedirected && !Console.IsErrorRedirected;

    public static bool NoColor => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    public static IAnsiConsole Create(TextWriter? output = null, bool? interactive = null)
    {
        bool isTerminal = interactive ?? (output is null && IsInteractive);
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = isTerminal && !NoColor ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal && !NoColor ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new AnsiConsoleOutput(output ?? Console.Out),
        });
        if (!isTerminal)
        {
            console.Profile.Width = 16_384; // logs and files: never wrap (a wrapped reproduce command would not run when pasted)
        }

        return console;
    }
}
