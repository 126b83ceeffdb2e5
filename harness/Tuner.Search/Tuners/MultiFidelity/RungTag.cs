using System.Globalization;

namespace Tuner.Search.Tuners.MultiFidelity;

/// <summary>
/// The <see cref="Proposal.Tag"/> texts of the multi-fidelity tuners, which is all they need to rebuild their state
/// from stored trials: <c>b{bracket}/r{rung}</c> for the synchronous tuners (bracket counted from 0 over the study,
/// rung the global rung index of <see cref="Rungs"/>) and <c>r{rung}</c> for ASHA, which has no brackets.
/// </summary>
internal static class RungTag
{
    public static string Bracketed(int bracket, int rung) => string.Create(CultureInfo.InvariantCulture, $"b{bracket}/r{rung}");

    public static string Rung(int rung) => string.Create(CultureInfo.InvariantCulture, $"r{rung}");

    public static bool TryParseBracketed(string? tag, out int bracket, out int rung)
    {
        bracket = -1;
        rung = -1;
        if (tag is null || !tag.StartsWith('b'))
        {
            return false;
        }

        int slash = tag.IndexOf("/r", StringComparison.Ordinal);
        return slash > 1
            && TryParseIndex(tag[1..slash], out bracket)
            && TryParseIndex(tag[(slash + 2)..], out rung);
    }

    public static bool TryParseRung(string? tag, out int rung)
    {
        rung = -1;
        return tag is not null && tag.StartsWith('r') && TryParseIndex(tag[1..], out rung);
    }

    private static bool TryParseIndex(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
