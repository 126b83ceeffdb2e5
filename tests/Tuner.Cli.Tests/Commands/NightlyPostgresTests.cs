using Tuner.Reports;
using Tuner.Storage.Tests.Postgres;

namespace Tuner.Cli.Tests.Commands;

/// <summary>The nightly history kept on a real PostgreSQL server: the second night compares with the first, and tuner report reads it back.</summary>
[Collection(PostgresServerGroup.Name)]
public sealed class NightlyPostgresTests(PostgresServer server) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tuner-nightly-pg").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task TwoNightsOnPostgres_SecondUsesTheFirstAsHistory_ReportRegeneratesIt()
    {
        string url = server.Url(await server.CreateDatabaseAsync());
        string manifest = Path.Combine(_dir, "nightly.json");
        File.WriteAllText(manifest, """{ "name": "pg", "seeds": [1, 2, 3], "suites": [ { "suite": "digits-mlp", "budget": "5s" } ] }""");

        (int first, _, string firstError) = await CliRunner.RunAsync(_dir, "nightly", "--manifest", manifest, "--storage", url, "--out", Path.Combine(_dir, "one"));
        (int second, string output, string secondError) = await CliRunner.RunAsync(_dir, "nightly", "--manifest", manifest, "--storage", url, "--out", Path.Combine(_dir, "two"));
        (int report, _, string reportError) = await CliRunner.RunAsync(_dir, "report", "--study", "pg", "--storage", url, "--out", Path.Combine(_dir, "again"));

        Assert.True(first == 0, firstError);
        Assert.True(second is 0 or 7, secondError);
        Assert.Contains("(3 runs, 1 nights)", output, StringComparison.Ordinal);
        Assert.DoesNotContain(PostgresServer.PasswordMarker, output + secondError, StringComparison.Ordinal);
        Assert.Equal(second, report);
        Assert.True(report is 0 or 7, reportError);
        var summary = CsvTable.Read(Path.Combine(_dir, "again", "summary.csv"), ["label", "history_nights", "history_runs"]);
        Assert.Equal("1", Assert.Single(summary)["history_nights"]);
        Assert.Equal(File.ReadAllText(Path.Combine(_dir, "two", "summary.md")), File.ReadAllText(Path.Combine(_dir, "again", "summary.md")));
    }
}
