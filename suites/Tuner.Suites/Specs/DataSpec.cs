namespace Tuner.Suites.Specs;

/// <summary>
/// Where a suite's data comes from. Either a known <see cref="Dataset"/> id (fashion-mnist, digits, iris, wine,
/// breast-cancer, and the text corpora bible-kjv and spam-assassin), fetched into the data cache, or a user file with a <see cref="Format"/> (csv, sklearn-csv, idx).
/// Data are split once into train / validation / test, stratified, with <see cref="SplitSeed"/> (never the trial
/// seed), so the held-out splits are the same for every trial and never trained on: data with an official test split
/// keep it as test and carve validation from the official train split; other data set aside <see cref="TestFraction"/>
/// as test, then <see cref="ValidationFraction"/> of the rest as validation.
/// </summary>
public sealed record DataSpec
{
    public string? Dataset { get; init; }

    public string? Format { get; init; }

    /// <summary>CSV or sklearn-CSV file (relative paths are relative to the suite file).</summary>
    public string? Path { get; init; }

    public string LabelColumn { get; init; } = "label";

    /// <summary>IDX files: train images, train labels, test images, test labels.</summary>
    public string? TrainImages { get; init; }

    public string? TrainLabels { get; init; }

    public string? TestImages { get; init; }

    public string? TestLabels { get; init; }

    /// <summary>Share of all rows set aside as test (data without an official test split).</summary>
    public double TestFraction { get; init; } = 0.2;

    /// <summary>Share of the train pool (the rows that are not test) held out as validation: the split the target is checked on.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    public int SplitSeed { get; init; }

    /// <summary>Optional image shape [channels, height, width] for tabular data that are images (digits: [1, 8, 8]).</summary>
    public IReadOnlyList<int>? ImageShape { get; init; }

    /// <summary>
    /// Text data (bible-kjv, spam-assassin): tokens per sample. The Bible is cut into consecutive windows of this many
    /// characters (each position predicting the next); an e-mail is its first this many bytes of subject and body.
    /// </summary>
    public int? SequenceLength { get; init; }

    /// <summary>
    /// Text data: at most this many samples of the validation and of the test split are evaluated (the first ones, in
    /// order), so evaluating a language model on its held-out text costs seconds, not a minute. Null: all.
    /// </summary>
    public int? MaxEvalSequences { get; init; }

    /// <summary>Text data: at most this many train samples (the first ones, in order); for quick smoke suites. Null: all.</summary>
    public int? MaxTrainSequences { get; init; }

    public override string ToString() => Dataset ?? $"{Format}:{Path ?? TrainImages}";
}
