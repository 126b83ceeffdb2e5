using Tuner.Training.Engine;

namespace Tuner.Techniques;

/// <summary>What <c>tuner list techniques</c> shows, how to build the technique from its text options, and how the
/// contract test exercises it.</summary>
/// <param name="Name">The name used on the command line (snake_case).</param>
/// <param name="Category">Survey family.</param>
/// <param name="Summary">What it does, one sentence.</param>
/// <param name="Paper">The paper it comes from.</param>
/// <param name="Conflicts">Techniques it cannot be combined with (a validation error naming both).</param>
/// <param name="Options">Option name to "meaning, range, default".</param>
/// <param name="Create">Builds the technique, reading and validating its options.</param>
public sealed record TechniqueDescriptor(
    string Name,
    TechniqueCategory Category,
    string Summary,
    string Paper,
    IReadOnlyList<string> Conflicts,
    IReadOnlyDictionary<string, string> Options,
    Func<TechniqueOptionReader, ITechnique> Create)
{
    /// <summary>The technique's folder under its family: techniques/Tuner.Techniques/{Category}/{Folder}/ (tests mirror it).</summary>
    public required string Folder { get; init; }

    /// <summary>How the contract test trains it for two batches; a technique without one fails that test.</summary>
    public required TechniqueContract? Contract { get; init; }
}

/// <summary>The suite (digits-mlp, digits-resmlp for residual-only techniques, fashion-cnn for image-only ones) and options of the contract run.</summary>
public sealed record TechniqueContract(string Suite, IReadOnlyDictionary<string, string> Options)
{
    public static TechniqueContract On(string suite, params (string Key, string Value)[] options) =>
        new(suite, options.ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal));
}
