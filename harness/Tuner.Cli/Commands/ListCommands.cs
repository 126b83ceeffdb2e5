using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Core.Configuration;
using Tuner.Core.Workloads;
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
                Markup.Escape(suite.Data?.ToString() ?? suite.Workload?.ToString() ?? string.Empty),
                Markup.Escape(suite.ModelDescription),
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

public sealed class ListTechniquesSettings : CommandSettings
{
    [CommandOption("-s|--suite <NAME>")]
    [Description("Show which techniques apply to this suite (built-in name or suite JSON file) and why the others do not.")]
    public string? Suite { get; set; }
}

[Description("List the training techniques in the order they act: category, options, prerequisites, conflicts, paper, probe; with --suite, which apply.")]
public sealed class ListTechniquesCommand(CliContext cli) : Command<ListTechniquesSettings>
{
    public override int Execute(CommandContext context, ListTechniquesSettings settings, CancellationToken cancellationToken)
    {
        SuiteSpec? suite = settings.Suite is null ? null : SuiteCatalog.Resolve(settings.Suite, cli.BaseDirectory);
        var table = new Table().AddColumns("order", "technique", "category", "what it does", "options", "needs", "conflicts", "paper");
        if (suite is not null)
        {
            table.AddColumn($"on {Markup.Escape(suite.Name)}");
        }

        foreach (TechniqueDescriptor technique in TechniqueRegistry.All)
        {
            string needs = technique.Requires == WorkloadFacts.None ? "-" : string.Join("; ", WorkloadFactsText.Each(technique.Requires).Select(WorkloadFactsText.Describe));
            var row = new List<string>
            {
                technique.Order.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Markup.Escape(technique.Name),
                technique.Category.ToString().ToLowerInvariant(),
                Markup.Escape(technique.Summary),
                Markup.Escape(technique.Options.Count == 0 ? "-" : string.Join("; ", technique.OptionHelp())),
                Markup.Escape(needs),
                Markup.Escape(technique.Conflicts.Count == 0 ? "-" : string.Join(", ", technique.Conflicts)),
                Markup.Escape(technique.Paper),
            };
            if (suite is not null)
            {
                WorkloadFacts missing = technique.Missing(suite.Facts);
                row.Add(missing == WorkloadFacts.None ? "applies" : Markup.Escape("not applicable: needs " + string.Join(" and ", WorkloadFactsText.Each(missing).Select(WorkloadFactsText.Describe))));
            }

            table.AddRow([.. row]);
        }

        cli.Console.Write(table);
        if (suite is not null)
        {
            cli.Console.WriteLine($"applies to {suite.Name}: {string.Join(", ", TechniqueRegistry.All.Where(t => t.AppliesTo(suite.Facts)).Select(t => t.Name))}");
            foreach (TechniqueDescriptor t in TechniqueRegistry.All.Where(t => !t.AppliesTo(suite.Facts)))
            {
                cli.Console.WriteLine($"not applicable to {suite.Name}: {t.Name} (needs {string.Join(" and ", WorkloadFactsText.Each(t.Missing(suite.Facts)).Select(WorkloadFactsText.Describe))})");
            }
        }

        cli.Console.WriteLine("Use with: tuner run --suite S --technique name[:key=value,...] (repeatable; listing order does not matter: they act in the order above).");
        cli.Console.WriteLine("The optimizer is not a technique: --set optimizer=NAME (tuner list optimizers).");
        return ExitCodes.Ok;
    }
}

[Description("List the optimizers (--set optimizer=NAME, or NAME:key=value for its options): what each does, its options, paper.")]
public sealed class ListOptimizersCommand(CliContext cli) : Command<ListSettings>
{
    public override int Execute(CommandContext context, ListSettings settings, CancellationToken cancellationToken)
    {
        var table = new Table().AddColumns("optimizer", "typical lr", "what it does", "options", "paper");
        foreach (OptimizerInfo optimizer in OptimizerCatalog.All)
        {
            table.AddRow(
                Markup.Escape(optimizer.Name),
                optimizer.TypicalLearningRate is double lr ? lr.ToString(System.Globalization.CultureInfo.InvariantCulture) : "the suite's",
                Markup.Escape(optimizer.Summary),
                Markup.Escape(optimizer.Options.Count == 0 ? "-" : string.Join("; ", optimizer.Options.Select(o => $"{o.Name}: {o.Describe()}"))),
                Markup.Escape(optimizer.Paper));
        }

        cli.Console.Write(table);
        cli.Console.WriteLine("Use with: tuner run --suite S --set optimizer=adam --set lr=0.001 (options: --set optimizer=lars:trust=0.02). The engine steps it once per batch; techniques compose around that step.");
        return ExitCodes.Ok;
    }
}
