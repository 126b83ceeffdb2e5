namespace Tuner.Suites.Models;

/// <summary>
/// The shape of a suite's model. <c>mlp</c>: flatten, then <see cref="Hidden"/> fully connected ReLU layers.
/// <c>cnn</c>: per entry of <see cref="Channels"/> a 3x3 convolution (padding 1), ReLU and 2x2 max-pool, then one
/// hidden fully connected layer of <see cref="Hidden"/>[0] units.
/// </summary>
public sealed record ModelSpec(string Kind, IReadOnlyList<int> Hidden, IReadOnlyList<int> Channels)
{
    public static readonly IReadOnlyList<string> Kinds = ["mlp", "cnn"];

    public override string ToString() => Kind == "cnn"
        ? $"cnn(channels {string.Join("-", Channels)}, hidden {string.Join("-", Hidden)})"
        : $"mlp(hidden {string.Join("-", Hidden)})";
}
