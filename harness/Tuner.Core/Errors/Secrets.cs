using System.Text.RegularExpressions;

namespace Tuner.Core.Errors;

/// <summary>
/// Recognises and masks what may hold a password: <c>user:password@</c> (a URL's credentials) and <c>password=</c>
/// (a connection-string or query parameter). Only <c>--storage</c> may carry credentials; every other value that looks
/// like one is refused, and every error line is masked before it is printed.
/// </summary>
public static partial class Secrets
{
    /// <summary>True when <paramref name="text"/> holds <c>user:password@</c> or a <c>password=</c> parameter.</summary>
    public static bool HasCredentials(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Credentials().IsMatch(text) || PasswordParameter().IsMatch(text);
    }

    /// <summary><paramref name="text"/> with every <c>user:password@</c> and <c>password=</c> value replaced by <c>***</c>.</summary>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // The placeholder of a how-to (postgres://USER:PASSWORD@HOST) is advice, not a secret.
        string masked = Credentials().Replace(text, m => m.Value.EndsWith(":PASSWORD@", StringComparison.Ordinal) ? m.Value : $"{m.Groups[1].Value}:***@");
        return PasswordParameter().Replace(masked, m => m.Value.EndsWith("=PASSWORD", StringComparison.Ordinal) ? m.Value : m.Groups[1].Value + "***");
    }

    /// <summary>A password=... or sslpassword=... parameter of a URL or connection string.</summary>
    [GeneratedRegex(@"((?:^|[?&;\s])\s*(?:ssl)?password\s*=)[^&;\s]*", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex PasswordParameter();

    /// <summary>user:password@ where neither part crosses a slash or a space.</summary>
    [GeneratedRegex(@"([^/:@\s]*):[^/@\s]*@", RegexOptions.CultureInvariant)]
    private static partial Regex Credentials();
}
