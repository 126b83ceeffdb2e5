namespace Tuner.Data;

/// <summary>
/// One file of a dataset: its name in the dataset folder, its absolute path inside the Debian package (as installed,
/// e.g. <c>/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz</c>), and its SHA-256 as lowercase hex.
/// </summary>
public sealed record DatasetFile(string FileName, string PathInPackage, string Sha256);
