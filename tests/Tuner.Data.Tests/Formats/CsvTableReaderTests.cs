namespace Tuner.Data.Tests.Formats;

public sealed class CsvTableReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_StringLabels_MapsSortedDistinctNamesToIndices()
    {
        string path = _dir.WriteText("t.csv", "x,label,y\n1,dog,2\n3,cat,4\n5,dog,6\n7,emu,8\n");

        var table = CsvTableReader.Read(path);

        Assert.Equal(4, table.Rows);
        Assert.Equal(2, table.FeatureCount);
        Assert.Equal(["cat", "dog", "emu"], table.ClassNames);
        Assert.Equal([1, 0, 1, 2], table.Labels);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], table.Features);
    }

    [Fact]
    public void Read_IntegerLabels_OrdersClassesNumerically()
    {
        string path = _dir.WriteText("t.csv", "a,label\n0.5,10\n1.5,2\n-2e-1,2\n3,-1\n");

        var table = CsvTableReader.Read(path);

        Assert.Equal(["-1", "2", "10"], table.ClassNames);
        Assert.Equal([2, 1, 1, 0], table.Labels);
        Assert.Equal([0.5f, 1.5f, -0.2f, 3f], table.Features);
    }

    [Fact]
    public void Read_LabelByIndex_UsesThatColumnAndOptionsDelimiter()
    {
        string path = _dir.WriteText("t.tsv", "class;f1;f2\nb;1;2\na;3;4\n");

        var table = CsvTableReader.Read(path, new CsvTableOptions { Delimiter = ';', LabelColumnIndex = 0 });

        Assert.Equal(["a", "b"], table.ClassNames);
        Assert.Equal([1, 0], table.Labels);
        Assert.Equal([1f, 2f, 3f, 4f], table.Features);
    }

    [Fact]
    public void Read_LabelByName_FindsNamedColumn()
    {
        string path = _dir.WriteText("t.csv", "f,species\n1,x\n2,y\n");

        var table = CsvTableReader.Read(path, new CsvTableOptions { LabelColumn = "species" });

        Assert.Equal(["x", "y"], table.ClassNames);
    }

    [Fact]
    public void Read_QuotedCellsCrlfAndBlankTrailingLines_AreHandled()
    {
        string path = _dir.WriteText("t.csv", "\"a\",\"label\"\r\n\" 1.5\",\"say \"\"hi\"\", ok\"\r\n2,plain\r\n\r\n  \r\n");

        var table = CsvTableReader.Read(path);

        Assert.Equal(2, table.Rows);
        Assert.Equal(["plain", "say \"hi\", ok"], table.ClassNames);
        Assert.Equal([1.5f, 2f], table.Features);
    }

    [Fact]
    public void Read_GzipFile_IsDecompressed()
    {
        string path = _dir.WriteGzipText("t.csv.gz", "a,label\n1,0\n2,1\n");

        Assert.Equal([0, 1], CsvTableReader.Read(path).Labels);
    }

    [Fact]
    public void Read_RaggedRow_ThrowsExpectedAndFoundCounts()
    {
        string path = _dir.WriteText("t.csv", "a,b,label\n1,2,x\n3,y\n");

        var e = Assert.Throws<DataFormatException>(() => CsvTableReader.Read(path));

        ErrorAssert.OneLine(e, path + ":3", "expected 3 cells", "found 2");
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Read_NonNumericCell_NamesLineAndColumnButNeverQuotesTheFile()
    {
        string path = _dir.WriteText("t.csv", "a,height,label\n1,2,x\n3,4,y\n5,abc,z\n");

        var e = Assert.Throws<DataFormatException>(() => CsvTableReader.Read(path));

        ErrorAssert.OneLine(e, path + ":4:2", "column 2", "not a number");
        Assert.DoesNotContain("abc", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CommaDecimalCell_IsNotANumberInInvariantCulture()
    {
        string path = _dir.WriteText("t.csv", "a;label\n1,5;x\n2;y\n");

        var e = Assert.Throws<DataFormatException>(() => CsvTableReader.Read(path, new CsvTableOptions { Delimiter = ';' }));

        ErrorAssert.OneLine(e, path + ":2:1", "not a number");
    }

    [Fact]
    public void Read_MissingLabelColumn_CountsColumnsButNeverQuotesTheHeader()
    {
        string path = _dir.WriteText("t.csv", "a,b,target\n1,2,3\n");

        var e = Assert.Throws<DataFormatException>(() => CsvTableReader.Read(path));

        ErrorAssert.OneLine(e, path + ":1", "no label column \"label\"", "3 columns");
        Assert.DoesNotContain("target", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_LabelIndexOutOfRange_Throws()
    {
        string path = _dir.WriteText("t.csv", "a,b\n1,2\n");

        var e = Assert.Throws<DataFormatException>(() => CsvTableReader.Read(path, new CsvTableOptions { LabelColumnIndex = 2 }));

        ErrorAssert.OneLine(e, path + ":1", "index 2 is out of range", "2 columns");
    }

    [Fact]
    public void Read_DuplicateLabelColumns_Throws()
    {
        string path = _dir.WriteText("t.csv", "label,a,label\n1,2,3\n");

        var e = Assert.Throws<DataFormatException>(() => CsvTableReader.Read(path));

        ErrorAssert.OneLine(e, path + ":1", "2 columns are named \"label\"", "columns 1 and 3");
    }

    [Fact]
    public void Read_EmptyFile_Throws()
    {
        string path = _dir.WriteText("t.csv", string.Empty);

        var e = Assert.Throws<DataFormatException>(() => CsvTableReader.Read(path));

        ErrorAssert.OneLine(e, path, "is empty or not a regular file");
    }

    [Fact]
    public void Read_HeaderOnly_ThrowsNoDataRows()
    {
        string path = _dir.WriteText("t.csv", "a,label\n\n");

        var e = Assert.Throws<DataFormatException>(() => CsvTableReader.Read(path));

        ErrorAssert.OneLine(e, path + ":1", "no data rows");
    }

    [Fact]
    public void Read_SingleClass_ThrowsNeedsAtLeastTwo()
    {
        string path = _dir.WriteText("t.csv", "a,label\n1,zebra\n2,zebra\n");

        var e = Assert.Throws<DataFormatException>(() => CsvTableReader.Read(path));

        ErrorAssert.OneLine(e, path, "found only 1 class in label column \"label\"", "a classification suite needs at least 2");
        Assert.DoesNotContain("zebra", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e40")]
    public void Read_NonFiniteCell_ThrowsWithLineAndColumn(string cell)
    {
        string path = _dir.WriteText("t.csv", $"label,a,b\nx,1,2\ny,3,{cell}\n");

        var e = Assert.Throws<DataFormatException>(() => CsvTableReader.Read(path));

        ErrorAssert.OneLine(e, path + ":3:3", "column 3", "not a finite");
        Assert.DoesNotContain($"\"{cell}\"", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyLabel_Throws()
    {
        string path = _dir.WriteText("t.csv", "a,label\n1,x\n2, \n");

        var e = Assert.Throws<DataFormatException>(() => CsvTableReader.Read(path));

        ErrorAssert.OneLine(e, path + ":3:2", "label", "empty");
    }

    [Fact]
    public void Read_UnterminatedQuote_Throws()
    {
        string path = _dir.WriteText("t.csv", "a,label\n1,\"x\n2,y\n");

        var e = Assert.Throws<DataFormatException>(() => CsvTableReader.Read(path));

        ErrorAssert.OneLine(e, path + ":2:2", "no closing quote");
    }
}
