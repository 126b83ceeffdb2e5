using System.Reflection;
using System.Runtime.Loader;

namespace Tuner.Suites.Workloads;

/// <summary>
/// The load context of one workload assembly (the plugin pattern of .NET's AssemblyLoadContext): the workload's own
/// dependencies are resolved from its build output through its <c>.deps.json</c>
/// (<see cref="AssemblyDependencyResolver"/>), so two workloads may use different versions of a library; an assembly
/// this tuner ships itself (Tuner.*, TorchSharp, the runtime's) comes from the host, so the workload's
/// <c>IWorkload</c>, tensors and modules are the host's own types and one libtorch is loaded.
/// </summary>
internal sealed class WorkloadLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public WorkloadLoadContext(string assemblyPath)
        : base($"workload {Path.GetFileName(assemblyPath)}", isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(assemblyPath);
    }

    /// <summary>Whether the host ships <paramref name="name"/> (then the workload shares the host's copy).</summary>
    public static bool HostShips(AssemblyName name) =>
        name.Name is not null
        && (File.Exists(Path.Combine(AppContext.BaseDirectory, name.Name + ".dll"))
            || Default.Assemblies.Any(a => string.Equals(a.GetName().Name, name.Name, StringComparison.OrdinalIgnoreCase)));

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (HostShips(assemblyName))
        {
            return null; // the default context: the host's copy
        }

        string? path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
