namespace Tuner.Data.Tests.Formats;

public sealed class SklearnCsvReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Read_SklearnHeader_UsesHeaderClassNames()
    {
        string path = _dir.WriteText("iris.csv", "3,2,setosa,versicolor,virginica\n5.1,3.5,0\n6.4,3.2,1\n6.3,3.3,2\n");

        var table = SklearnCsvReader.Read(path);

        Assert.Equal(3, table.Rows);
        Assert.Equal(2, table.FeatureCount);
        Assert.Equal(["setosa", "versicolor", "virginica"], table.ClassNames);
        Assert.Equal(3, table.ClassCount);
        Assert.Equal([5.1f, 3.5f, 6.4f, 3.2f, 6.3f, 3.3f], table.Features);
        Assert.Equal([0, 1, 2], table.Labels);
    }

    [Fact]
    public void Read_HeaderWithFewerCellsThanRows_IsTreatedAsHeader()
    {
        string path = _dir.WriteText("wine.csv", "2,3,a,b\n1,2,3,0\n4,5,6,1\n");

        var table = SklearnCsvReader.Read(path);

        Assert.Equal(2, table.Rows);
        Assert.Equal(3, table.FeatureCount);
        Assert.Equal(["a", "b"], table.ClassNames);
    }

    [Fact]
    public void Read_GzipWithoutHeader_LastColumnIsTargetAndNamesAreIndices()
    {
        string path = _dir.WriteGzipText("digits.csv.gz", "0,1,16,3\n2,0,5,0\n9,9,9,1\n1,1,1,3\n");

        var table = SklearnCsvReader.Read(path);

        Assert.Equal(4, table.Rows);
        Assert.Equal(3, table.FeatureCount);
        Assert.Equal([3, 0, 1, 3], table.Labels);
        Assert.Equal(["0", "1", "2", "3"], table.ClassNames);
        Assert.Equal([9f, 9f, 9f], table.Row(2).ToArray());
    }

    [Fact]
    public void Read_HeaderRowCountDisagrees_ThrowsNamingBothCounts()
    {
        string path = _dir.WriteText("short.csv", "3,1,a,b\n1.0,0\n2.0,1\n");

        var e = Assert.Throws<DataFormatException>(() => SklearnCsvReader.Read(path));

        ErrorAssert.OneLine(e, path, "header says 3 samples", "2 data rows");
    }

    [Fact]
    public void Read_TargetOutsideHeaderClasses_ThrowsWithLineAndColumn()
    {
        string path = _dir.WriteText("bad.csv", "2,1,a,b\n1.0,0\n2.0,2\n");

        var e = Assert.Throws<DataFormatException>(() => SklearnCsvReader.Read(path));

        ErrorAssert.OneLine(e, path + ":3:2", "the target cell is not a class index", "0..1");
    }

    [Fact]
    public void Read_RaggedRow_ThrowsWithLine()
    {
        string path = _dir.WriteText("ragged.csv", "1,2,0\n3,4,1\n5,1\n");

        var e = Assert.Throws<DataFormatException>(() => SklearnCsvReader.Read(path));

        ErrorAssert.OneLine(e, path + ":3", "expected 3 cells", "found 2");
    }

    [Fact]
    public void Read_EmptyFile_Throws()
    {
        string path = _dir.WriteText("empty.csv", "\n\n");

        var e = Assert.Throws<DataFormatException>(() => SklearnCsvReader.Read(path));

        ErrorAssert.OneLine(e, path, "file is empty");
    }
}
