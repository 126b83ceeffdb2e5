using Tuner.Core.Errors;
using Tuner.Data;
using Tuner.Suites.Specs;
using Tuner.Training.Data;
using static TorchSharp.torch;

namespace Tuner.Suites.Loading;

/// <summary>
/// Turns a suite's <see cref="DataSpec"/> into tensors: fetches known datasets into the data cache (checksummed),
/// reads user files, splits data without an official test split (stratified, fixed seed), and standardises features
/// with statistics of the train split only.
/// </summary>
public static class SuiteDataLoader
{
    /// <summary>The fewest rows a class may have in a table that is split into train and held-out rows.</summary>
    public const int MinRowsPerClass = 2;

    public static async Task<SuiteData> LoadAsync(SuiteSpec suite, DataStore store, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(store);
        DataSpec data = suite.Data;
        if (data.Dataset is not null)
        {
            DatasetSource source = KnownDatasets.Find(data.Dataset) ?? throw new TunerInputException(
                $"suite '{suite.Name}': unknown dataset '{data.Dataset}': use one of {string.Join(", ", KnownDatasets.All.Select(d => d.Id))}, or \"format\" with your own file");
            IReadOnlyDictionary<string, string> files = await store.EnsureAsync(source, progress, cancellationToken).ConfigureAwait(false);
            if (source.Id == KnownDatasets.FashionMnist.Id)
            {
                return FromIdx(
                    files["train-images-idx3-ubyte.gz"], files["train-labels-idx1-ubyte.gz"],
                    files["t10k-images-idx3-ubyte.gz"], files["t10k-labels-idx1-ubyte.gz"]);
            }

            string table = files[source.Files[0].FileName];
            return FromTable(SklearnCsvReader.Read(table), data);
        }

        return data.Format switch
        {
            "csv" => FromTable(CsvTableReader.Read(RequireFile(data.Path!), new CsvTableOptions { LabelColumn = data.LabelColumn }), data),
            "sklearn-csv" => FromTable(SklearnCsvReader.Read(RequireFile(data.Path!)), data),
            "idx" => FromIdx(RequireFile(data.TrainImages!), RequireFile(data.TrainLabels!), RequireFile(data.TestImages!), RequireFile(data.TestLabels!)),
            _ => throw new TunerInputException($"suite '{suite.Name}': unknown data format '{data.Format}': use csv, sklearn-csv or idx"),
        };
    }

    private static string RequireFile(string path) => File.Exists(path)
        ? path
        : Directory.Exists(path)
            ? throw new TunerInputException($"data file '{path}' is a folder: name the data file itself in the suite file")
            : throw new TunerInputException($"data file '{path}' not found: check the path in the suite file (relative paths are relative to the suite file)");

    /// <summary>IDX images (train and official test split), scaled to [0, 1] and standardised with the train mean and std.</summary>
    public static SuiteData FromIdx(string trainImages, string trainLabels, string testImages, string testLabels)
    {
        ImageSet trainSet = IdxReader.ReadImages(trainImages);
        byte[] trainY = IdxReader.ReadLabels(trainLabels);
        ImageSet testSet = IdxReader.ReadImages(testImages);
        byte[] testY = IdxReader.ReadLabels(testLabels);
        if (trainSet.Count != trainY.Length || testSet.Count != testY.Length)
        {
            throw new TunerInputException($"IDX files disagree: {trainSet.Count} train images but {trainY.Length} labels, {testSet.Count} test images but {testY.Length} labels: use matching image and label files");
        }

        if (trainY.Length == 0 || testY.Length == 0)
        {
            throw new TunerInputException($"the IDX {(trainY.Length == 0 ? "train" : "test")} split is empty: give image and label files with at least one image each");
        }

        int classes = Math.Max(trainY.Max(), testY.Max()) + 1;

        // Mean and std of the train pixels from a histogram (exact, no float copy of 47M pixels); images stay uint8
        // and are scaled per batch: input = (pixel / 255 - mean) / std = pixel * scale + shift.
        (double mean, double std) = PixelStatistics(trainSet.Pixels);
        float scale = (float)(1.0 / (255.0 * std));
        float shift = (float)(-mean / std);
        using var scope = NewDisposeScope();
        Tensor trainX = tensor(trainSet.Pixels, [trainSet.Count, 1, trainSet.Rows, trainSet.Columns], ScalarType.Byte);
        Tensor testX = tensor(testSet.Pixels, [testSet.Count, 1, testSet.Rows, testSet.Columns], ScalarType.Byte);
        Tensor trainLabelsTensor = tensor(trainY, ScalarType.Byte).to_type(ScalarType.Int64);
        Tensor testLabelsTensor = tensor(testY, ScalarType.Byte).to_type(ScalarType.Int64);
        return new SuiteData(new TensorDataset(trainX, trainLabelsTensor, classes, scale, shift), new TensorDataset(testX, testLabelsTensor, classes, scale, shift));
    }

    /// <summary>Mean and (population) standard deviation of pixels scaled to [0, 1].</summary>
    public static (double Mean, double Std) PixelStatistics(byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        long[] histogram = new long[256];
        foreach (byte b in pixels)
        {
            histogram[b]++;
        }

        double sum = 0, sumSquares = 0;
        for (int v = 0; v < 256; v++)
        {
            double x = v / 255.0;
            sum += histogram[v] * x;
            sumSquares += histogram[v] * x * x;
        }

        double mean = sum / pixels.Length;
        double variance = Math.Max(1e-12, (sumSquares / pixels.Length) - (mean * mean));
        return (mean, Math.Sqrt(variance));
    }
    /// <summary>A table split once (stratified, <see cref="DataSpec.SplitSeed"/>), standardised per feature with train statistics.</summary>
    public static SuiteData FromTable(NumericTable table, DataSpec spec)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(spec);
        long[] sampleShape = [table.FeatureCount];
        if (spec.ImageShape is { Count: > 0 } shape)
        {
            long product = shape.Aggregate(1L, (a, b) => a * b);
            if (product != table.FeatureCount)
            {
                throw new TunerInputException($"data.image_shape [{string.Join(", ", shape)}] has {product} values but the table has {table.FeatureCount} features: fix image_shape");
            }

            sampleShape = [.. shape.Select(s => (long)s)];
        }

        CheckSplittable(table.Labels, spec.TestFraction, spec.Path ?? spec.Dataset ?? "the data");
        (int[] trainRows, int[] testRows) = StratifiedSplit.Split(table.Labels, spec.TestFraction, spec.SplitSeed);
        int f = table.FeatureCount;
        float[] mean = new float[f];
        float[] std = new float[f];
        foreach (int row in trainRows)
        {
            ReadOnlySpan<float> values = table.Row(row);
            for (int j = 0; j < f; j++)
            {
                mean[j] += values[j];
            }
        }

        for (int j = 0; j < f; j++)
        {
            mean[j] /= trainRows.Length;
        }

        foreach (int row in trainRows)
        {
            ReadOnlySpan<float> values = table.Row(row);
            for (int j = 0; j < f; j++)
            {
                float d = values[j] - mean[j];
                std[j] += d * d;
            }
        }

        for (int j = 0; j < f; j++)
        {
            std[j] = MathF.Sqrt(std[j] / Math.Max(1, trainRows.Length - 1));
            if (std[j] < 1e-8f)
            {
                std[j] = 1f; // constant feature: centre only
            }
        }

        return new SuiteData(Build(table, trainRows, mean, std, sampleShape), Build(table, testRows, mean, std, sampleShape));
    }

    /// <summary>
    /// A table is split per class, so a class needs at least <see cref="MinRowsPerClass"/> rows: one to train on and one
    /// held out (a class with fewer would be missing from one split, and a held-out split of nothing reports accuracy 0),
    /// and there must be at least two classes. One-line input error otherwise.
    /// </summary>
    public static void CheckSplittable(IReadOnlyList<int> labels, double testFraction, string source)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (double.IsNaN(testFraction) || testFraction <= 0 || testFraction >= 1)
        {
            throw new TunerInputException($"data.test_fraction {testFraction} is invalid: give a fraction in (0, 1), e.g. 0.2");
        }

        (int Label, int Count)[] classes = [.. labels.GroupBy(l => l).Select(g => (Label: g.Key, Count: g.Count())).OrderBy(c => c.Count).ThenBy(c => c.Label)];
        if (classes.Length < 2)
        {
            throw new TunerInputException($"{source}: {labels.Count} row(s) of {classes.Length} class(es): a classification suite needs at least two classes with {MinRowsPerClass} rows each");
        }

        if (classes[0].Count < MinRowsPerClass)
        {
            int thin = classes.Count(c => c.Count < MinRowsPerClass);
            throw new TunerInputException(
                $"{source}: class {classes[0].Label} has {classes[0].Count} row(s){(thin > 1 ? $" ({thin} classes have fewer than {MinRowsPerClass})" : string.Empty)}: every class needs at least {MinRowsPerClass} rows, one to train on and one held out; add rows or drop the class");
        }
    }

    private static TensorDataset Build(NumericTable table, int[] rows, float[] mean, float[] std, long[] sampleShape)
    {
        int f = table.FeatureCount;
        float[] x = new float[rows.Length * f];
        long[] y = new long[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            ReadOnlySpan<float> values = table.Row(rows[i]);
            for (int j = 0; j < f; j++)
            {
                x[(i * f) + j] = (values[j] - mean[j]) / std[j];
            }

            y[i] = table.Labels[rows[i]];
        }

        using var scope = NewDisposeScope();
        long[] shape = [rows.Length, .. sampleShape];
        return new TensorDataset(tensor(x, shape), tensor(y), table.ClassCount);
    }
}
