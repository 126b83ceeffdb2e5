using Tuner.Core.Errors;

namespace Tuner.Techniques.Model.MagnitudePruning;

/// <summary>Gradual magnitude pruning's options (Zhu and Gupta, 2017).</summary>
public sealed record MagnitudePruningOptions
{
    /// <summary>The final fraction of each weight tensor set to zero, [0, 0.99]; default 0.5.</summary>
    public double Sparsity { get; init; } = 0.5;

    /// <summary>Budget fraction where pruning starts (sparsity 0 before), [0, 1]; default 0.1.</summary>
    public double Start { get; init; } = 0.1;

    /// <summary>Budget fraction where the final sparsity is reached, [Start, 1]; default 0.7.</summary>
    public double End { get; init; } = 0.7;

    /// <summary>Optimizer steps between pruning events, at least 1; default 50.</summary>
    public int Every { get; init; } = 50;

    /// <summary>Throws a one-line input error for an inconsistent combination.</summary>
    public MagnitudePruningOptions Validate()
    {
        if (Sparsity is < 0 or > 0.99 || Start is < 0 or > 1 || End is < 0 or > 1 || Every < 1)
        {
            throw new TunerInputException(
                $"technique {MagnitudePruningTechnique.TechniqueName}: sparsity must be in [0, 0.99], start and end in [0, 1], every at least 1");
        }

        return End < Start
            ? throw new TunerInputException($"technique {MagnitudePruningTechnique.TechniqueName}: end ({End}) must not be before start ({Start})")
            : this;
    }
}
