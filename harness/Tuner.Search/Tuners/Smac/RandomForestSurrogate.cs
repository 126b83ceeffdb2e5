using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;

namespace Tuner.Search.Tuners.Smac;

/// <summary>Settings of <see cref="RandomForestSurrogate.Fit"/>; the defaults suit tens to hundreds of rows in a unit cube.</summary>
public sealed record RandomForestOptions
{
    /// <summary>Trees in the forest; the spread of their predictions is the surrogate's uncertainty.</summary>
    public int Trees { get; init; } = 24;

    /// <summary>The most leaves per tree (at least 2).</summary>
    public int Leaves { get; init; } = 32;

    /// <summary>The fewest training rows in a leaf; 1 lets a handful of rows still split.</summary>
    public int MinimumRowsPerLeaf { get; init; } = 1;

    /// <summary>Fraction of the features each split may choose from (decorrelates the trees).</summary>
    public double FeatureFractionPerSplit { get; init; } = 0.8;

    /// <summary>Fraction of the rows each tree is trained on (a fresh subsample per tree).</summary>
    public double BaggingFraction { get; init; } = 0.8;
}

/// <summary>
/// A random-forest regression surrogate for Bayesian optimisation and for importance analysis: ML.NET's FastForest
/// trained on unit-cube feature vectors, with its trees copied out so that <see cref="Predict"/> returns both the mean
/// of the per-tree predictions (the forest's prediction) and their spread (standard deviation across trees, the
/// uncertainty that expected improvement needs and FastForest itself does not expose). Fitting is seeded and
/// single-threaded, so the same rows and seed give the same forest.
/// <para>When no forest can be grown (fewer than 2 rows, every feature constant, or FastForest growing no tree, as
/// happens with 2 identical rows) the surrogate is constant: <see cref="IsConstant"/> is true and
/// <see cref="Predict"/> returns the mean and standard deviation of the labels everywhere.</para>
/// </summary>
public sealed class RandomForestSurrogate
{
    private readonly FittedTree[] _trees;
    private readonly double _constantMean;
    private readonly double _constantStd;

    private RandomForestSurrogate(int features, int rows, FittedTree[] trees, double constantMean, double constantStd)
    {
        FeatureCount = features;
        RowCount = rows;
        _trees = trees;
        _constantMean = constantMean;
        _constantStd = constantStd;
    }

    /// <summary>Length of the feature vectors it was fitted on (and that <see cref="Predict"/> takes).</summary>
    public int FeatureCount { get; }

    /// <summary>Rows it was fitted on.</summary>
    public int RowCount { get; }

    /// <summary>Trees in the forest (0 when <see cref="IsConstant"/>; FastForest may grow fewer than asked for on few rows).</summary>
    public int TreeCount => _trees.Length;

    /// <summary>True when no tree could be grown and predictions are the labels' mean and spread.</summary>
    public bool IsConstant => _trees.Length == 0;

    /// <summary>
    /// Fits a forest to rows <paramref name="x"/> (equal lengths, finite) and labels <paramref name="y"/> (finite),
    /// seeded with <paramref name="seed"/>. Never throws for lack of data: see the class remarks for the constant case.
    /// </summary>
    /// <exception cref="ArgumentException">No rows, rows of different lengths, or a non-finite value.</exception>
    public static RandomForestSurrogate Fit(IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<double> y, int seed, RandomForestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        options ??= new RandomForestOptions();
        Validate(x, y, options);
        int features = x[0].Count;
        double mean = y.Average();
        double std = Math.Sqrt(y.Sum(v => (v - mean) * (v - mean)) / y.Count);
        bool anyVaries = Enumerable.Range(0, features).Any(f => x.Any(row => (float)row[f] != (float)x[0][f]));
        if (x.Count < 2 || !anyVaries)
        {
            return new RandomForestSurrogate(features, x.Count, [], mean, std);
        }

        var ml = new MLContext(seed);
        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, features);
        IDataView data = ml.Data.LoadFromEnumerable(
            x.Select((row, i) => new Row { Features = [.. row.Select(v => (float)v)], Label = (float)y[i] }).ToList(),
            schema);
        var trainer = ml.Regression.Trainers.FastForest(new FastForestRegressionTrainer.Options
        {
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            MinimumExampleCountPerLeaf = options.MinimumRowsPerLeaf,
            FeatureFraction = 1.0,
            FeatureFractionPerSplit = options.FeatureFractionPerSplit,
            BaggingSize = 1,
            BaggingExampleFraction = options.BaggingFraction,
            NumberOfThreads = 1,
            Seed = seed,
            FeatureSelectionSeed = seed,
        });

        FittedTree[] trees;
        try
        {
            var model = trainer.Fit(data);
            trees = [.. model.Model.TrainedTreeEnsemble.Trees.Select(FittedTree.From)];
        }
        catch (InvalidOperationException)
        {
            // FastForest grew no tree at all (each bag too small or too uniform to split): stay constant.
            trees = [];
        }

        return new RandomForestSurrogate(features, x.Count, trees, mean, std);
    }

    /// <summary>Mean and standard deviation (across trees) of the prediction at <paramref name="x"/>.</summary>
    public (double Mean, double Std) Predict(IReadOnlyList<double> x)
    {
        CheckLength(x);
        if (IsConstant)
        {
            return (_constantMean, _constantStd);
        }

        double sum = 0;
        double sumSquares = 0;
        foreach (FittedTree tree in _trees)
        {
            double v = tree.Evaluate(x);
            sum += v;
            sumSquares += v * v;
        }

        double mean = sum / _trees.Length;
        double variance = Math.Max(0, (sumSquares / _trees.Length) - (mean * mean));
        return (mean, Math.Sqrt(variance));
    }

    /// <summary>Each tree's prediction at <paramref name="x"/> (empty when <see cref="IsConstant"/>).</summary>
    public IReadOnlyList<double> PredictTrees(IReadOnlyList<double> x)
    {
        CheckLength(x);
        return [.. _trees.Select(t => t.Evaluate(x))];
    }

    private void CheckLength(IReadOnlyList<double> x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Count != FeatureCount)
        {
            throw new ArgumentException($"expected {FeatureCount} features, got {x.Count}", nameof(x));
        }
    }

    private static void Validate(IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<double> y, RandomForestOptions options)
    {
        if (x.Count == 0 || x.Count != y.Count)
        {
            throw new ArgumentException($"need at least one row and one label per row (got {x.Count} rows, {y.Count} labels)", nameof(x));
        }

        int features = x[0]?.Count ?? 0;
        for (int i = 0; i < x.Count; i++)
        {
            if (x[i] is null || x[i].Count != features || features == 0)
            {
                throw new ArgumentException($"row {i} has {x[i]?.Count ?? 0} features, expected {features} (> 0)", nameof(x));
            }

            if (x[i].Any(v => !double.IsFinite(v)) || !double.IsFinite(y[i]))
            {
                throw new ArgumentException($"row {i} has a non-finite feature or label", nameof(x));
            }
        }

        if (options.Trees < 1 || options.Leaves < 2 || options.MinimumRowsPerLeaf < 1 ||
            !(options.FeatureFractionPerSplit > 0 && options.FeatureFractionPerSplit <= 1) ||
            !(options.BaggingFraction > 0 && options.BaggingFraction <= 1))
        {
            throw new ArgumentException($"invalid forest options {options}", nameof(options));
        }
    }

    /// <summary>One row as ML.NET reads it.</summary>
    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    /// <summary>
    /// A regression tree copied out of the FastForest model: node <c>n</c> sends a vector left when
    /// <c>x[Feature[n]] &lt;= Threshold[n]</c> (compared in single precision, as the model does); a negative child
    /// <c>c</c> is leaf <c>~c</c>.
    /// </summary>
    private sealed class FittedTree
    {
        private readonly int[] _feature;
        private readonly float[] _threshold;
        private readonly int[] _left;
        private readonly int[] _right;
        private readonly double[] _leaf;

        private FittedTree(int[] feature, float[] threshold, int[] left, int[] right, double[] leaf)
        {
            _feature = feature;
            _threshold = threshold;
            _left = left;
            _right = right;
            _leaf = leaf;
        }

        public static FittedTree From(RegressionTreeBase tree) => new(
            [.. tree.NumericalSplitFeatureIndexes],
            [.. tree.NumericalSplitThresholds],
            [.. tree.LeftChild],
            [.. tree.RightChild],
            [.. tree.LeafValues]);

        public double Evaluate(IReadOnlyList<double> x)
        {
            if (_left.Length == 0)
            {
                return _leaf[0];
            }

            int node = 0;
            while (node >= 0)
            {
                node = (float)x[_feature[node]] <= _threshold[node] ? _left[node] : _right[node];
            }

            return _leaf[~node];
        }
    }
}
