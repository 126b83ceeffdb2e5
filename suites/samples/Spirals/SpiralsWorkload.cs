using Tuner.Core.Workloads;
using Tuner.Training.Data;
using Tuner.Training.Workloads;
using static TorchSharp.torch;

namespace Spirals;

/// <summary>
/// Interleaved spirals: <c>arms</c> classes of <c>points</c> points each, along spirals of <c>turns</c> turns with
/// Gaussian noise <c>noise</c>, made from the generator seed <c>seed</c> (the data are the same for every trial; the
/// trial seed sets the model's initialisation and the batch order). 60% train, 20% validation, 20% test, shuffled.
/// The model is a <see cref="FourierNet"/> of <c>features</c> Fourier features and <c>width</c> hidden units.
/// </summary>
public sealed class SpiralsWorkload : IWorkload
{
    private readonly int _arms;
    private readonly int _points;
    private readonly double _turns;
    private readonly double _noise;
    private readonly int _seed;
    private readonly int _features;
    private readonly int _width;
    private readonly double _scale;

    public SpiralsWorkload(WorkloadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.OnlyKnown("arms", "points", "turns", "noise", "seed", "features", "width", "scale");
        _arms = options.Whole("arms", 3);
        _points = options.Whole("points", 1000);
        _turns = options.Number("turns", 1.75);
        _noise = options.Number("noise", 0.04);
        _seed = options.Whole("seed", 7);
        _features = options.Whole("features", 32);
        _width = options.Whole("width", 64);
        _scale = options.Number("scale", 4.0);
        if (_arms < 2 || _points < 10 || _features < 1 || _width < 1)
        {
            throw options.Error("arms must be at least 2, points at least 10, features and width at least 1");
        }
    }

    /// <summary>Real-valued inputs (mixup and input noise apply); not images, no residual or Transformer blocks.</summary>
    public WorkloadFacts Facts => WorkloadFacts.RealInputs;

    public string ModelDescription => $"fourier-net({_features} features, width {_width})";

    public Task<WorkloadData> LoadAsync(WorkloadContext context, CancellationToken cancellationToken)
    {
        var random = new Random(_seed);
        int n = _arms * _points;
        var rows = new (float X, float Y, long Label)[n];
        for (int i = 0; i < n; i++)
        {
            int arm = i % _arms;
            double t = random.NextDouble();
            double angle = 2 * Math.PI * (_turns * t + (double)arm / _arms);
            double radius = 0.1 + t;
            rows[i] = ((float)(radius * Math.Cos(angle) + _noise * Gaussian(random)), (float)(radius * Math.Sin(angle) + _noise * Gaussian(random)), arm);
        }

        random.Shuffle(rows);
        int train = n * 3 / 5, validation = n / 5;
        return Task.FromResult(new WorkloadData(
            Split(rows, 0, train), Split(rows, train, validation), Split(rows, train + validation, n - train - validation)));
    }

    public nn.Module<Tensor, Tensor> CreateModel(WorkloadData data) =>
        new FourierNet(2, _features, _width, _arms, _scale);

    /// <summary>Forward and backward per sample: 4 per weight of the first layer (no input gradient), 6 per weight of the others.</summary>
    public double? TrainingFlopsPerSample(WorkloadData data) =>
        4.0 * 2 * _features + 6.0 * 2 * _features * _width + 6.0 * _width * _arms;

    private TensorDataset Split((float X, float Y, long Label)[] rows, int start, int count)
    {
        float[] features = [.. rows.Skip(start).Take(count).SelectMany(r => new[] { r.X, r.Y })];
        long[] labels = [.. rows.Skip(start).Take(count).Select(r => r.Label)];
        return new TensorDataset(tensor(features, [count, 2]), tensor(labels, [count]), _arms);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
