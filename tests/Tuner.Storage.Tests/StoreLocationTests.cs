using Tuner.Core.Errors;

namespace Tuner.Storage.Tests;

/// <summary>The one rule for a --storage value: what opens, and what is refused with the password masked, before anything is touched.</summary>
public sealed class StoreLocationTests
{
    private const string Secret = "hunter2x";
    private static readonly string Base = Path.Combine(Path.GetTempPath(), "tuner-location-base");

    [Theory]
    [InlineData(null, "results/studies.db")]
    [InlineData("my.db", "my.db")]
    [InlineData("sqlite:my.db", "my.db")]
    [InlineData("sqlite://my.db", "my.db")]
    [InlineData("file:sub/my.db", "sub/my.db")]
    public void Resolve_SqliteForms_AreAbsolutePathsUnderTheBase(string? value, string relative)
    {
        Assert.Equal(Path.Combine(Base, relative), StoreLocation.Resolve(value, Base));
    }

    [Theory]
    [InlineData("postgres://u:" + Secret + "@db:5432/tuner")]
    [InlineData("postgresql://u:" + Secret + "@db/tuner")]
    [InlineData("Host=db;Username=u;Password=" + Secret + ";Database=tuner")]
    public void Resolve_PostgresFormsAreKeptAsGiven(string value)
    {
        Assert.Equal(value, StoreLocation.Resolve(value, Base));
    }

    [Theory]
    [InlineData("mysql://tuner:" + Secret + "@127.0.0.1:1/tuner", "has the unknown scheme 'mysql'")]
    [InlineData("redis://u:" + Secret + "@h/x", "has the unknown scheme 'redis'")]
    [InlineData("postgress://u:" + Secret + "@h/db", "has the unknown scheme 'postgress'")]
    [InlineData("postgres:/tuner:" + Secret + "@h:5432/db", "is not a PostgreSQL URL: write postgres://USER:PASSWORD@HOST:PORT/DATABASE (two slashes)")]
    [InlineData("tuner:" + Secret + "@h/db", "has the unknown scheme 'tuner'")]
    [InlineData("file://u:" + Secret + "@h/x", "looks like a URL with a password, not a file path")]
    [InlineData("data/u:" + Secret + "@h", "looks like a URL with a password, not a file path")]
    [InlineData("sqlite:", "names no file")]
    [InlineData("", "--storage is empty")]
    [InlineData("  ", "--storage is empty")]
    public void Resolve_AnythingElse_IsOneLineWithThePasswordMasked(string value, string expected)
    {
        var ex = Assert.Throws<TunerInputException>(() => StoreLocation.Resolve(value, Base));

        OneLineAssert.Message(ex, expected);
        Assert.DoesNotContain(Secret, ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Base), "resolving creates nothing");
    }
}

/// <summary>How workers on other nodes get the store: the location without its password, the password in their environment.</summary>
public sealed class WorkerStoreTests
{
    private const string Secret = "hunter2x:@/";

    [Fact]
    public void ForWorkers_Url_LocationLosesThePasswordAndKeepsEverythingElse()
    {
        WorkerStore store = StoreLocation.ForWorkers("postgres://me:" + Uri.EscapeDataString(Secret) + "@db.example:6543/tuner db?sslmode=require&application_name=nightly", "--launcher slurm");
        Assert.Equal("postgres://me@db.example:6543/tuner%20db?sslmode=require&application_name=nightly", store.Location);
        Assert.Equal(Secret, store.Environment["PGPASSWORD"]);
        Assert.DoesNotContain("hunter2", store.Location + store.DisplayName, StringComparison.Ordinal);
        Assert.Equal("error: *** refused", store.Redact("error: " + Secret + " refused"));
    }

    [Fact]
    public void ForWorkers_ConnectionString_BecomesAUrlWithoutThePassword()
    {
        WorkerStore store = StoreLocation.ForWorkers("Host=db;Port=5432;Username=u;Password=" + "hunter2x" + ";Database=tuner", "--launcher slurm");
        Assert.Equal("postgres://u@db:5432/tuner", store.Location);
        Assert.Equal("hunter2x", store.Environment["PGPASSWORD"]);
    }

    [Fact]
    public void ForWorkers_NoPassword_NothingTravels()
    {
        string? before = Environment.GetEnvironmentVariable("PGPASSWORD");
        Environment.SetEnvironmentVariable("PGPASSWORD", null);
        try
        {
            WorkerStore store = StoreLocation.ForWorkers("postgres://u@db/tuner", "--launcher slurm");
            Assert.Empty(store.Environment);
            Assert.Equal("postgres://u@db:5432/tuner", store.Location);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PGPASSWORD", before);
        }
    }

    [Theory]
    [InlineData("results/studies.db", "needs a PostgreSQL store")]
    [InlineData("postgres://u:pw@db/tuner?sslpassword=keypw", "sslpassword cannot reach the workers")]
    public void ForWorkers_Refused_OneLine(string location, string expected)
    {
        var error = Assert.Throws<Core.Errors.TunerInputException>(() => StoreLocation.ForWorkers(location, "--launcher slurm"));
        OneLineAssert.Message(error, expected);
        Assert.DoesNotContain("keypw", error.Message, StringComparison.Ordinal);
    }
}
