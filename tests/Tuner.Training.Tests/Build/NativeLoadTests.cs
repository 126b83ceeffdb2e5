using Tuner.Build;
using static TorchSharp.torch;

namespace Tuner.Training.Tests.Build;

public sealed class NativeLoadTests
{
    [Fact]
    public void Torch_Initialises_AndOptimizerStepChangesWeights()
    {
        TorchSharp.torch.set_num_threads(1);
        using var layer = TorchSharp.torch.nn.Linear(4, 2);
        using var before = layer.weight!.detach().clone();
        using var optimizer = TorchSharp.torch.optim.SGD(layer.parameters(), 0.1);
        using var input = TorchSharp.torch.ones(8, 4);
        using var output = layer.call(input);
        using var loss = output.pow(2).sum();
        loss.backward();
        optimizer.step();

        Assert.False(before.allclose(layer.weight!.detach()), "an SGD step on a non-zero gradient must change the weights");
    }

    [Fact]
    public void Weaken_PackageLibrary_MarksGlibcxx3432Weak_AndIsIdempotent()
    {
        string packaged = Path.Combine(
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") ??
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.True(File.Exists(packaged), $"TorchSharp's native library not found at {packaged}");
        byte[] elf = File.ReadAllBytes(packaged);

        VersionNeed original = Assert.Single(ElfVersionNeeds.Read(elf), n => n.Version == "GLIBCXX_3.4.32");
        Assert.False(original.IsWeak);
        Assert.Equal("libstdc++.so.6", original.File);

        Assert.Equal(1, ElfVersionNeeds.Weaken(elf, new[] { "GLIBCXX_3.4.32" }));
        Assert.True(Assert.Single(ElfVersionNeeds.Read(elf), n => n.Version == "GLIBCXX_3.4.32").IsWeak);
        Assert.Equal(0, ElfVersionNeeds.Weaken(elf, new[] { "GLIBCXX_3.4.32" }));

        // Nothing else changed: every other requirement keeps its flags.
        var before = ElfVersionNeeds.Read(File.ReadAllBytes(packaged)).Where(n => n.Version != "GLIBCXX_3.4.32");
        var after = ElfVersionNeeds.Read(elf).Where(n => n.Version != "GLIBCXX_3.4.32");
        Assert.Equal(before.Select(n => (n.Version, n.Flags)), after.Select(n => (n.Version, n.Flags)));
    }

    [Fact]
    public void PatchFile_WhenSystemLibraryProvidesVersion_ChangesNothing()
    {
        string dir = Directory.CreateTempSubdirectory("tuner-elf").FullName;
        try
        {
            string packaged = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
            string copy = Path.Combine(dir, "lib.so");
            File.Copy(packaged, copy);
            // A fake "system libstdc++" that defines the version: the patch must be a no-op.
            string fakeSystem = Path.Combine(dir, "libstdc++.so.6");
            File.WriteAllBytes(fakeSystem, System.Text.Encoding.ASCII.GetBytes("\0GLIBCXX_3.4.32\0"));
            byte[] unpatched = File.ReadAllBytes(copy);
            foreach (var need in ElfVersionNeeds.Read(unpatched).Where(n => n.Version == "GLIBCXX_3.4.32" && n.IsWeak))
            {
                // The build output is already patched on this machine; restore the flag for the test.
                unpatched[need.FlagsOffset] &= unchecked((byte)~ElfVersionNeeds.VerFlgWeak);
            }

            File.WriteAllBytes(copy, unpatched);
            string message = ElfVersionNeeds.PatchFile(copy, new[] { "GLIBCXX_3.4.32" }, fakeSystem);

            Assert.StartsWith("no change", message, StringComparison.Ordinal);
            Assert.Equal(unpatched, File.ReadAllBytes(copy));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
