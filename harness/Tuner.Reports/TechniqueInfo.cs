namespace Tuner.Reports;

/// <summary>What the technique table shows of a technique (from its descriptor): its place in the canonical order, what
/// it needs from a workload, and what its mechanism probe checks.</summary>
public sealed record TechniqueInfo(string Name, string Family, string Folder, string Summary, string Paper, IReadOnlyList<string> Conflicts)
{
    /// <summary>Its place in the canonical order (lower acts first).</summary>
    public int Order { get; init; }

    /// <summary>What the workload must offer ("-" for nothing).</summary>
    public string Needs { get; init; } = "-";

    /// <summary>The observable its probe checks.</summary>
    public string Probe { get; init; } = string.Empty;
}
