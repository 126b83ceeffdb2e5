namespace Tuner.Reports;

/// <summary>What the technique table shows of a technique (from the registry).</summary>
public sealed record TechniqueInfo(string Name, string Family, string Folder, string Summary, string Paper, IReadOnlyList<string> Conflicts);
