using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;
using Tuner.Cli.Infrastructure;
using Tuner.Core.Budgets;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Files;
using Tuner.Core.Results;
using Tuner.Core.Trials;
using Tuner.Reports;
using Tuner.Runner;
using Tuner.Runner.Effects;
using Tuner.Suites.Specs;
using Tuner.Techniques;

namespace Tuner.Cli.Commands;

public sealed class EffectsSettings : TrainingSettings
{
    [CommandOption("--seeds <N>")]
    [Description("Seeds per configuration (at least 3; 5 or more for a verdict: a rank test of 3 against 3 can never be significant). Default: 5.")]
    [DefaultValue(5)]
    public int Seeds { get; set; } = 5;

    [CommandOption("--max-seeds <N>")]
    [Description("Add seeds, one at a time, to the techniques whose speed-up interval is still wider than +-15%, up to N per configuration. Default: --seeds (none added).")]
    public int? MaxSeeds { get; set; }

    [CommandOption("--first-seed <N>")]
    [Description("Seeds used: first-seed .. first-seed + seeds - 1 (and on, with --max-seeds). Default: 1.")]
    [DefaultValue(1L)]
    public long FirstSeed { get; set; } = 1;

    [CommandOption("-t|--technique <TECHNIQUE>")]
    [Description("Measure only these techniques (repeatable; name or name:key=value,...). Default: every registered technique.")]
    public string[] Technique { get; set; } = [];

    [CommandOption("-o|--out <CSV>")]
    [Description("Effects CSV to write. Default: techniques/effects/<suite>.csv.")]
    public string? Out { get; set; }

    [CommandOption("--readme <FILE>")]
    [Description("Technique table to regenerate from the CSV. Default: techniques/README.md.")]
    public string? Readme { get; set; }

    [CommandOption("--render-only")]
    [Description("Do not train: regenerate the README table from the existing CSV (--out).")]
    public bool RenderOnly { get; set; }

}

[Description("Measure every technique alone against the suite's baseline (median time-to-target over seeds, 95% bootstrap CI of the speed-up, reach probability, step cost); write a CSV and regenerate techniques/README.md from it.")]
public sealed class EffectsCommand(CliContext cli) : AsyncCommand<EffectsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, EffectsSettings settings, CancellationToken cancellationToken)
    {
        string readme = UserPaths.File(settings.Readme ?? Path.Combine("techniques", "README.md"), "--readme", cli.BaseDirectory);
        if (settings.RenderOnly)
        {
            string csvPath = UserPaths.File(settings.Out ?? throw new TunerInputException("--render-only needs --out CSV: the effects CSV to render"), "--out", cli.BaseDirectory);
            if (!File.Exists(csvPath))
            {
                throw new TunerInputException($"effects CSV '{csvPath}' not found: run tuner effects --suite S first");
            }

            Render(readme, EffectsCsv.Read(csvPath), csvPath);
            return ExitCodes.Ok;
        }

        if (string.IsNullOrWhiteSpace(settings.Suite))
        {
            throw new TunerInputException("missing --suite: name the suite to measure on, e.g. tuner effects --suite fashion-mlp");
        }

        string? dataDirectory = CommandChecks.DataDirectory(settings.DataDir, cli.BaseDirectory);
        if (settings.Seeds is < 3 or > 1000)
        {
            throw new TunerInputException($"--seeds {settings.Seeds} is out of range: use 3 to 1000 seeds (at least 3 for a confidence interval)");
        }

        int maxSeeds = settings.MaxSeeds ?? settings.Seeds;
        if (maxSeeds < settings.Seeds || maxSeeds > 1000)
        {
            throw new TunerInputException($"--max-seeds {maxSeeds} is out of range: use a number from --seeds ({settings.Seeds}) to 1000");
        }

        CommandChecks.Seed(settings.FirstSeed, "--first-seed", maxSeeds);

        SuiteSpec suite = SuiteCatalog.Resolve(settings.Suite, cli.BaseDirectory);
        Budget budget = settings.Budget is null ? suite.DefaultBudget : Budget.Parse(settings.Budget);
        IReadOnlyList<TechniqueSpec> techniques = settings.Technique.Length > 0
            ? [.. settings.Technique.Select(TechniqueRegistry.Parse)]
            : [.. TechniqueRegistry.All.Select(d => TechniqueSpec.Of(d.Name))];
        foreach (TechniqueSpec named in settings.Technique.Length > 0 ? techniques : [])
        {
            // Named explicitly, a technique the suite cannot run is an error; the full table marks such rows "not applicable".
            TechniqueRegistry.Validate([named], suite.Facts, suite.Name);
        }

        var plan = new EffectPlan
        {
            Suite = suite,
            Budget = budget,
            Seeds = [.. Enumerable.Range(0, settings.Seeds).Select(i => settings.FirstSeed + i)],
            MaxSeeds = maxSeeds,
            Techniques = techniques,
            Host = new TrialHost { Device = settings.Device, Threads = settings.TrainingThreads, DataDirectory = dataDirectory },
        };
        string csv = UserPaths.File(settings.Out ?? Path.Combine("techniques", "effects", $"{suite.Name}.csv"), "--out", cli.BaseDirectory);
        string recordsPath = Path.Combine(cli.BaseDirectory, "results", "effects", $"{suite.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.jsonl");
        var writer = new JsonLinesRecordWriter(recordsPath);

        using var runner = new InProcessTrialRunner(log: new LineProgress(cli));
        await runner.PrepareAsync(TrialRequest.Baseline(suite, budget, plan.Host), cancellationToken).ConfigureAwait(false);
        cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"effects on {suite.Name}: baseline + {plan.Configurations().Count - 1} technique(s) x {plan.Seeds.Count} seeds = {plan.Configurations().Count * plan.Seeds.Count} trials, budget {budget} each, {settings.TrainingThreads} thread(s){(plan.NotApplicable().Count == 0 ? string.Empty : $"; not applicable here: {string.Join(", ", plan.NotApplicable().Select(n => n.Technique.Name))}")}; records: {recordsPath}"));

        var results = await EffectStudy.RunAsync(plan, runner, new LineProgress(cli), (_, record) => writer.AppendAsync(record, CancellationToken.None), cancellationToken).ConfigureAwait(false);
        IReadOnlyList<EffectRow> rows = EffectStudy.Summarise(plan, results);
        EffectsCsv.Write(csv, rows);
        PrintTable(rows);
        cli.Console.WriteLine($"csv: {csv}");
        Render(readme, rows, csv);
        return ExitCodes.Ok;
    }

    private void Render(string readme, IReadOnlyList<EffectRow> rows, string csvPath)
    {
        IReadOnlyList<TechniqueInfo> techniques = [.. TechniqueRegistry.All
            .Select(d => new TechniqueInfo(d.Name, d.Category.ToString().ToLowerInvariant(), d.Folder, d.Summary, d.Paper, d.Conflicts)
            {
                Order = d.Order,
                Needs = d.Requires == Core.Workloads.WorkloadFacts.None ? "-" : string.Join("; ", Core.Workloads.WorkloadFactsText.Each(d.Requires).Select(Core.Workloads.WorkloadFactsText.Describe)),
                Probe = d.ProbeSummary,
            })];
        string relative = Path.GetRelativePath(Path.GetDirectoryName(readme)!, csvPath);
        File.WriteAllText(readme, TechniquesReadme.Render(techniques, rows, [relative]));
        cli.Console.WriteLine($"readme: {readme}");
    }

    private void PrintTable(IReadOnlyList<EffectRow> rows)
    {
        static string F(double? v, string f) => v is double d ? d.ToString(f, CultureInfo.InvariantCulture) : "-";
        foreach (EffectRow r in rows.OrderByDescending(r => r.SpeedUp ?? 0))
        {
            cli.Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Technique,-34} speed-up {F(r.SpeedUp, "0.00"),5} [{F(r.SpeedUpLow, "0.00")}, {F(r.SpeedUpHigh, "0.00")}]  samples ratio {F(r.SamplesRatio, "0.00")}  p {F(r.PValue, "0.###")} adj. {F(r.AdjustedPValue, "0.###")}  reached {r.Reached}/{r.Seeds}  ttt {F(r.MedianTimeToTargetSeconds, "0.00")} s  step cost {F(r.StepRateRatio is double x && x > 0 ? 1 / x : null, "0.00")}x  {r.Verdict}"));
        }
    }
}
