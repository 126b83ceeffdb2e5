using System.Reflection;
using System.Runtime.InteropServices;
using Tuner.Core.Errors;
using Tuner.Core.Trials;
using static TorchSharp.torch;

namespace Tuner.Training.Runtime;

/// <summary>Loads libtorch, sets the thread count, picks the device and describes the environment.</summary>
public static class TorchRuntime
{
    private static readonly object Gate = new();
    private static bool _interopSet;
    private static bool _environmentConfigured;

    /// <summary>
    /// Sets OMP_WAIT_POLICY=PASSIVE in the native environment (unless the user set it) before libtorch and its OpenMP
    /// runtime load. With the default spinning policy, two torch threads on a 2-core machine collapse ~10x as soon as
    /// anything else wants a core (measured: 4.5k vs 34k samples/s on fashion-mlp under load); passive waiting avoids
    /// that. Must run before the first TorchSharp call; later calls do nothing.
    /// </summary>
    public static void ConfigureNativeEnvironment()
    {
        lock (Gate)
        {
            if (_environmentConfigured)
            {
                return;
            }

            _environmentConfigured = true;
            if (OperatingSystem.IsLinux() && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY")))
            {
                _ = NativeMethods.setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
            }
        }
    }

    /// <summary>
    /// Makes sure libtorch is loaded; a failure becomes a one-line <see cref="TunerInputException"/> saying how to fix it
    /// (the usual cause on Debian 12 / Ubuntu 22.04 is a build output without the GLIBCXX fix).
    /// </summary>
    public static string EnsureLoaded()
    {
        ConfigureNativeEnvironment();
        try
        {
            return __version__;
        }
        catch (TypeInitializationException ex)
        {
            string detail = ex.InnerException?.Message ?? ex.Message;
            int newline = detail.IndexOfAny(['\r', '\n']);
            throw new TunerInputException(
                "libtorch failed to load (" + (newline >= 0 ? detail[..newline] : detail).Trim() +
                "): rebuild with 'dotnet build' so build/Tuner.Native.targets patches libLibTorchSharp.so, and check that the libtorch-cpu-linux-x64 package restored", ex);
        }
    }

    /// <summary>Sets intra-op threads (and inter-op threads to 1, once per process). <paramref name="threads"/> null: all cores.</summary>
    public static int SetThreads(int? threads)
    {
        EnsureLoaded();
        int count = threads ?? Environment.ProcessorCount;
        if (count < 1)
        {
            throw new TunerInputException($"--threads {count} is invalid: use a whole number >= 1 (this machine has {Environment.ProcessorCount} cores)");
        }

        lock (Gate)
        {
            if (!_interopSet)
            {
                try
                {
                    set_num_interop_threads(1);
                }
                catch (ExternalException)
                {
                    // libtorch refuses once parallel work has started; the intra-op count is what matters here.
                }

                _interopSet = true;
            }
        }

        set_num_threads(count);
        return get_num_threads();
    }

    /// <summary>Resolves <c>auto</c>, <c>cpu</c> or <c>cuda</c> to a device, or throws a one-line input error.</summary>
    public static Device ResolveDevice(string? requested)
    {
        EnsureLoaded();
        string name = (requested ?? "auto").Trim().ToLowerInvariant();
        bool cuda = cuda_is_available();
        return name switch
        {
            "auto" => cuda ? CUDA : CPU,
            "cpu" => CPU,
            "cuda" or "gpu" => cuda ? CUDA : throw new TunerInputException(
                "--device cuda: CUDA is not available here (no NVIDIA GPU, or this build uses the CPU libtorch); use --device cpu, or build with -p:TorchBackend=cuda on a CUDA machine"),
            _ => throw new TunerInputException($"unknown --device '{requested}': use auto, cpu or cuda"),
        };
    }

    public static string TorchSharpVersion =>
        typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    public static EnvironmentManifest Describe(Device device, string? repositoryDirectory = null) => new EnvironmentManifest
    {
        CpuModel = CpuModel(),
        LogicalCores = Environment.ProcessorCount,
        TorchThreads = get_num_threads(),
        Os = RuntimeInformation.OSDescription,
        DotNet = RuntimeInformation.FrameworkDescription,
        TorchSharpVersion = TorchSharpVersion,
        LibTorchVersion = EnsureLoaded(),
        Device = device.type == TorchSharp.DeviceType.CUDA ? $"cuda:{Math.Max(0, device.index)}" : "cpu",
        GitCommit = GitCommit(repositoryDirectory ?? Environment.CurrentDirectory),
        MachineName = Environment.MachineName,
    }.WithAllocation();

    private static string CpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
                if (line is not null)
                {
                    return line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
        }

        return RuntimeInformation.ProcessArchitecture.ToString();
    }

    /// <summary>The commit checked out in the nearest enclosing git work tree, read from .git without running git.</summary>
    public static string? GitCommit(string directory)
    {
        try
        {
            for (DirectoryInfo? dir = new(directory); dir is not null; dir = dir.Parent)
            {
                string gitDir = Path.Combine(dir.FullName, ".git");
                if (!Directory.Exists(gitDir))
                {
                    continue;
                }

                string head = File.ReadAllText(Path.Combine(gitDir, "HEAD")).Trim();
                if (!head.StartsWith("ref: ", StringComparison.Ordinal))
                {
                    return head;
                }

                string reference = head[5..];
                string refFile = Path.Combine(gitDir, reference);
                if (File.Exists(refFile))
                {
                    return File.ReadAllText(refFile).Trim();
                }

                string packed = Path.Combine(gitDir, "packed-refs");
                if (File.Exists(packed))
                {
                    string? line = File.ReadLines(packed).FirstOrDefault(l => l.EndsWith(" " + reference, StringComparison.Ordinal));
                    return line?.Split(' ')[0];
                }

                return null;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static extern int setenv(string name, string value, int overwrite);
    }
}
