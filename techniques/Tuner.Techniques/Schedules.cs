namespace Tuner.Techniques;

/// <summary>The learning-rate schedules over the budget (cosine, one_cycle, step from the optimization family; budget_linear_decay and rex from the budget family): at most one per run.</summary>
internal static class Schedules
{
    public static readonly string[] Names = ["cosine", "one_cycle", "step", "budget_linear_decay", "rex"];

    /// <summary>The other schedules, which <paramref name="name"/> conflicts with.</summary>
    public static string[] Except(string name) => [.. Names.Where(n => n != name)];
}
