namespace Tuner.Data;

/// <summary>How <see cref="CsvTableReader"/> reads a user table.</summary>
public sealed record CsvTableOptions
{
    /// <summary>Cell delimiter; default ','.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Header name of the label column; default "label". Ignored when <see cref="LabelColumnIndex"/> is set.</summary>
    public string LabelColumn { get; init; } = "label";

    /// <summary>0-based index of the label column; when set it wins over <see cref="LabelColumn"/>.</summary>
    public int? LabelColumnIndex { get; init; }

    /// <summary>Comma-delimited, label column named "label".</summary>
    public static CsvTableOptions Default { get; } = new();
}
