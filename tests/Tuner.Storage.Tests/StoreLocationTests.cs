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
