using System.Globalization;
using Tuner.Core.Configuration;
using Tuner.Core.Errors;
using Tuner.Core.Workloads;
using Tuner.Search.Space;

namespace Tuner.Search.Tests.Space;

/// <summary>
/// A small technique catalog for parser tests (the real one lives on the TorchSharp side; the CLI tests run the parser
/// against it): "ema" (decay in [0, 1)), "warmup" (steps 1..1e6), "mixup" and "cutmix" conflicting, "precision";
/// "cutmix" needs images. Canonical order: precision, mixup, cutmix, warmup, ema.
/// </summary>
internal sealed class FixedCatalog : ITechniqueCatalog
{
    public bool Contains(string name) => name is "ema" or "warmup" or "mixup" or "cutmix" or "precision";

    public int OrderOf(string name) => Array.IndexOf(["precision", "mixup", "cutmix", "warmup", "ema"], name);

    public string? NotApplicable(string name, WorkloadFacts facts, string suite) =>
        name == "cutmix" && !facts.HasFlag(WorkloadFacts.Images) ? $"technique cutmix does not apply to suite {suite}: it needs image inputs" : null;

    public IReadOnlyList<string> ConflictsOf(string name) => name switch
    {
        "mixup" => ["cutmix"],
        "cutmix" => ["mixup"],
        _ => [],
    };

    public void Validate(TechniqueSpec spec)
    {
        foreach (var (key, value) in spec.Options)
        {
            double v = double.Parse(value, CultureInfo.InvariantCulture);
            bool ok = (spec.Name, key) switch
            {
                ("ema", "decay") => v >= 0 && v < 1,
                ("warmup", "steps") => v >= 1 && v <= 1e6,
                ("mixup" or "cutmix", "alpha") => v > 0,
                _ => throw new TunerInputException($"technique {spec.Name}: unknown option '{key}'"),
            };
            if (!ok)
            {
                throw new TunerInputException($"technique {spec.Name}: option {key}={value} is out of range");
            }
        }
    }
}
