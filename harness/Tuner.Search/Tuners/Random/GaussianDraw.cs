namespace Tuner.Search.Tuners.RandomSearch;

/// <summary>Standard normal draws from a seeded <see cref="Random"/> (Box–Muller), for tuners' local moves.</summary>
internal static class GaussianDraw
{
    public static double Next(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double u1 = 1.0 - random.NextDouble();
        double u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
