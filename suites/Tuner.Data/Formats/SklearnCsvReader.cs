using System.Globalization;

namespace Tuner.Data;

/// <summary>
/// Reads the CSV files bundled with scikit-learn (<c>sklearn/datasets/data/</c>), gzip-compressed or plain.
/// Two layouts: with the sklearn header <c>n_samples,n_features,class names...</c> (iris.csv, wine_data.csv,
/// breast_cancer.csv), where the row count is checked against the header; or without a header (digits.csv.gz),
/// where the class names are the target values 0..max. In both the last column is the integer target.
/// </summary>
public static class SklearnCsvReader
{
    public static NumericTable Read(string path)
    {
        using var reader = DataFile.OpenText(path);
        var lines = new LineSource(reader);
        if (!lines.Next(out string first, out int firstNumber))
        {
            throw new DataFormatException(path, null, null, "file is empty",
                "expected sklearn CSV data (optionally after a header \"n_samples,n_features,class names...\")");
        }

        var firstCells = new List<string>();
        CsvLine.Split(first, ',', path, firstNumber, firstCells);
        bool hasSecond = lines.Next(out string second, out int secondNumber);
        var cells = new List<string>();
        if (hasSecond)
        {
            CsvLine.Split(second, ',', path, secondNumber, cells);
        }

        bool isHeader = !firstCells.TrueForAll(CellParser.IsNumber) || (hasSecond && cells.Count != firstCells.Count);
        return isHeader
            ? ReadWithHeader(path, firstCells, firstNumber, lines, hasSecond, cells, secondNumber)
            : ReadWithoutHeader(path, firstCells, firstNumber, lines, hasSecond, cells, secondNumber);
    }

    private static NumericTable ReadWithHeader(
        string path, List<string> header, int headerLine, LineSource lines, bool hasRow, List<string> cells, int lineNumber)
    {
        if (header.Count < 3
            || !int.TryParse(header[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int samples) || samples < 0
            || !int.TryParse(header[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int featureCount) || featureCount < 1)
        {
            throw new DataFormatException(path, headerLine, null,
                "the first line is neither data nor an sklearn header",
                "the header must be \"n_samples,n_features,class name,...\" with at least one class name");
        }

        string[] classNames = header.Skip(2).Select(n => n.Trim()).ToArray();
        var features = new List<float>(Math.Min(samples, 1 << 20) * featureCount);
        var labels = new List<int>(Math.Min(samples, 1 << 20));
        while (hasRow)
        {
            AddRow(path, lineNumber, cells, featureCount, features, labels, classNames.Length);
            hasRow = NextRow(path, lines, cells, out lineNumber);
        }

        if (labels.Count != samples)
        {
            throw new DataFormatException(path, null, null,
                $"the header says {samples} samples but the file has {labels.Count} data rows",
                "the file is truncated or was edited: fetch it again");
        }

        return new NumericTable(features.ToArray(), labels.ToArray(), labels.Count, featureCount, classNames);
    }

    private static NumericTable ReadWithoutHeader(
        string path, List<string> firstCells, int firstLine, LineSource lines, bool hasSecond, List<string> cells, int secondLine)
    {
        int featureCount = firstCells.Count - 1;
        if (featureCount < 1)
        {
            throw new DataFormatException(path, firstLine, null, "rows have a single cell",
                "sklearn CSV rows are features followed by the integer target, separated by ','");
        }

        var features = new List<float>(4096);
        var labels = new List<int>(256);
        AddRow(path, firstLine, firstCells, featureCount, features, labels, classCount: null);
        bool hasRow = hasSecond;
        int lineNumber = secondLine;
        while (hasRow)
        {
            AddRow(path, lineNumber, cells, featureCount, features, labels, classCount: null);
            hasRow = NextRow(path, lines, cells, out lineNumber);
        }

        int max = labels.Max();
        string[] classNames = Enumerable.Range(0, max + 1).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray();
        return new NumericTable(features.ToArray(), labels.ToArray(), labels.Count, featureCount, classNames);
    }

    private static bool NextRow(string path, LineSource lines, List<string> cells, out int lineNumber)
    {
        if (!lines.Next(out string line, out lineNumber))
        {
            return false;
        }

        CsvLine.Split(line, ',', path, lineNumber, cells);
        return true;
    }

    private static void AddRow(
        string path, int lineNumber, List<string> cells, int featureCount, List<float> features, List<int> labels, int? classCount)
    {
        if (cells.Count != featureCount + 1)
        {
            throw new DataFormatException(path, lineNumber, null,
                $"expected {featureCount + 1} cells ({featureCount} features and the target), found {cells.Count}",
                "every row needs the same number of cells");
        }

        for (int c = 0; c < featureCount; c++)
        {
            features.Add(CellParser.Feature(cells[c], path, lineNumber, c + 1, $"feature {c}"));
        }

        string target = cells[featureCount];
        long max = classCount is int k ? k - 1 : int.MaxValue - 1;
        if (!CellParser.TryInteger(target, out long label) || label < 0 || label > max)
        {
            string range = classCount is int n ? $"0..{n - 1} (one per class name in the header)" : "a whole number >= 0";
            throw new DataFormatException(path, lineNumber, featureCount + 1,
                "the target cell is not a class index", $"the last cell must be {range}");
        }

        labels.Add((int)label);
    }
}
