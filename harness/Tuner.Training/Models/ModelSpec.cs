namespace Tuner.Training.Models;

/// <summary>
/// The shape of a suite's model.
/// <list type="bullet">
/// <item><c>mlp</c>: flatten, then <see cref="Hidden"/> fully connected ReLU layers, then the head.</item>
/// <item><c>resmlp</c>: flatten, a stem to width <see cref="Hidden"/>[0], <see cref="Blocks"/> residual blocks
/// (<see cref="ResidualBlock"/>: x + fc(relu(fc(x)))), ReLU, then the head. The model for stochastic depth.</item>
/// <item><c>cnn</c>: per entry of <see cref="Channels"/> a 3x3 convolution (padding 1), ReLU and 2x2 max-pool; an
/// adaptive average pool to the full-resolution feature size (identity at full size, so smaller inputs also work:
/// progressive resizing); then the <see cref="Hidden"/> fully connected layers.</item>
/// </list>
/// </summary>
public sealed record ModelSpec(string Kind, IReadOnlyList<int> Hidden, IReadOnlyList<int> Channels)
{
    public static readonly IReadOnlyList<string> Kinds = ["mlp", "resmlp", "cnn"];

    /// <summary>Residual blocks of a <c>resmlp</c>.</summary>
    public int Blocks { get; init; } = 2;

    public override string ToString() => Kind switch
    {
        "cnn" => $"cnn(channels {string.Join("-", Channels)}, hidden {string.Join("-", Hidden)})",
        "resmlp" => $"resmlp(width {(Hidden.Count > 0 ? Hidden[0] : 0)}, {Blocks} blocks)",
        _ => $"mlp(hidden {string.Join("-", Hidden)})",
    };
}
