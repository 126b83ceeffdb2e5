using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Suites.Specs;
using Tuner.Techniques;

namespace Tuner.Cli.Commands;

public sealed class ListSettings : CommandSettings
{
}

[Description("List the built-in suites: data, model, target, default budget, baseline recipe.")]
public sealed class ListSuitesCommand(CliContext cli) : Command<ListSettings>
{
    public override int Execute(CommandContext context, ListSettings settings, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("suite", "data", "model", "target", "budget", "baseline", "description");
        foreach (SuiteSpec suite in SuiteCatalog.Builtin())
        {
            table.AddRow(
                Markup.Escape(suite.Name),
                Markup.Escape(suite.Data.ToString()),
                Markup.Escape(suite.Model.ToString()),
                Markup.Escape(suite.Target.ToString()),
                Markup.Escape(suite.DefaultBudget.ToString()),
                Markup.Escape(string.Join(" ", suite.Baseline.ToSetArguments())),
                Markup.Escape(suite.Description));
        }

        cli.Console.Write(table);
        cli.Console.WriteLine("Custom suites: pass the path of a suite JSON file to --suite (format in the README).");
        return ExitCodes.Ok;
    }
}

[Description("List the training techniques: category, options, paper, conflicts.")]
public sealed class ListTechniquesCommand(CliContext cli) : Command<ListSettings>
{
    public override int Execute(CommandContext context, ListSettings settings, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("technique", "category", "what it does", "options", "paper", "conflicts");
        foreach (TechniqueDescriptor technique in TechniqueRegistry.All.OrderBy(t => t.Category).ThenBy(t => t.Name, StringComparer.Ordinal))
        {
            table.AddRow(
                Markup.Escape(technique.Name),
                technique.Category.ToString().ToLowerInvariant(),
                Markup.Escape(technique.Summary),
                Markup.Escape(string.Join("; ", technique.Options.Select(o => $"{o.Key}: {o.Value}"))),
                Markup.Escape(technique.Paper),
                Markup.Escape(technique.Conflicts.Count == 0 ? "-" : string.Join(", ", technique.Conflicts)));
        }

        cli.Console.Write(table);
        cli.Console.WriteLine("Use with: tuner run --suite S --technique name[:key=value,...] (repeatable).");
        return ExitCodes.Ok;
    }
}
