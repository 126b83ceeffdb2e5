namespace Tuner.Data.Tests;

/// <summary>Collects progress messages synchronously (unlike <see cref="Progress{T}"/>, which posts them later).</summary>
internal sealed class SyncProgress(List<string> messages) : IProgress<string>
{
    public void Report(string value)
    {
        lock (messages)
        {
            messages.Add(value);
        }
    }
}
