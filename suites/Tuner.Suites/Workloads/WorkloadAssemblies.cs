using System.Collections.Concurrent;
using System.Reflection;
using Tuner.Core.Errors;
using Tuner.Core.Workloads;
using Tuner.Training.Workloads;

namespace Tuner.Suites.Workloads;

/// <summary>
/// Makes the <see cref="IWorkload"/> a suite file names. Each assembly is loaded once per process into its own
/// <see cref="WorkloadLoadContext"/>; every problem (no such file, not an assembly, no such type, a type that is not an
/// <see cref="IWorkload"/>, no usable constructor, a constructor that throws, a built against another Tuner) is one
/// <see cref="TunerInputException"/> line naming the suite file and the fix.
/// </summary>
public static class WorkloadAssemblies
{
    private static readonly ConcurrentDictionary<string, Lazy<Assembly>> Loaded = new(StringComparer.Ordinal);

    /// <summary>A new instance of the workload <paramref name="reference"/> names in <paramref name="suiteFile"/> (full path; <paramref name="displayName"/> in messages).</summary>
    public static IWorkload Create(WorkloadReference reference, string suiteFile, string displayName)
    {
        ArgumentNullException.ThrowIfNull(reference);
        string where = $"suite file '{displayName}', workload";
        string path = reference.AssemblyPath;
        if (!File.Exists(path))
        {
            throw new TunerInputException($"{where}: assembly '{path}' not found: build the workload project first (dotnet build -c Release), or fix \"assembly\", which is relative to the suite file");
        }

        Assembly assembly = Load(path, where);
        Type? type;
        try
        {
            type = assembly.GetType(reference.TypeName, throwOnError: false);
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException or BadImageFormatException or TypeLoadException)
        {
            throw new TunerInputException($"{where}: type '{reference.TypeName}' cannot be loaded ({ExceptionText.FirstLine(ex.Message)}): {Rebuild}", ex);
        }

        if (type is null)
        {
            IEnumerable<string> workloads = ExportedWorkloads(assembly);
            throw new TunerInputException($"{where}: assembly '{Path.GetFileName(path)}' has no type '{reference.TypeName}': use the full name (namespace and type){(workloads.Any() ? $"; it has {string.Join(", ", workloads)}" : "; it has no public class implementing Tuner.Training.Workloads.IWorkload")}");
        }

        if (!typeof(IWorkload).IsAssignableFrom(type))
        {
            bool otherCopy = type.GetInterfaces().Any(i => i.FullName == typeof(IWorkload).FullName);
            throw new TunerInputException(otherCopy
                ? $"{where}: type '{reference.TypeName}' implements another copy of IWorkload (its Tuner.Training.dll is not this tuner's): {Rebuild}"
                : $"{where}: type '{reference.TypeName}' does not implement Tuner.Training.Workloads.IWorkload: implement it (README, \"Your own model\")");
        }

        if (type.IsAbstract || !type.IsPublic && !type.IsNestedPublic)
        {
            throw new TunerInputException($"{where}: type '{reference.TypeName}' must be a public, non-abstract class");
        }

        ConstructorInfo? withOptions = type.GetConstructor([typeof(WorkloadOptions)]);
        ConstructorInfo? plain = type.GetConstructor(Type.EmptyTypes);
        if (withOptions is null && plain is null)
        {
            throw new TunerInputException($"{where}: type '{reference.TypeName}' needs a public constructor taking WorkloadOptions, or one taking nothing");
        }

        JsonOptionsGuard(reference, plain, withOptions, where);
        IWorkload workload;
        try
        {
            workload = (IWorkload)(withOptions is not null
                ? withOptions.Invoke([new WorkloadOptions(reference.Options(), suiteFile)])
                : plain!.Invoke([]));
        }
        catch (TargetInvocationException ex) when (ex.InnerException is Exception inner)
        {
            throw new TunerInputException($"{where}: the constructor of '{reference.TypeName}' threw {ExceptionText.Describe(inner)}", inner);
        }

        WorkloadFacts facts = Read(() => workload.Facts, reference, "Facts", where);
        if (facts.HasFlag(WorkloadFacts.BuiltInModel))
        {
            throw new TunerInputException($"{where}: '{reference.TypeName}' declares BuiltInModel, which only the built-in model kinds have (techniques rewrite their description before building): remove it from Facts");
        }

        _ = Read(() => workload.ModelDescription, reference, "ModelDescription", where);
        return workload;
    }

    private const string Rebuild = "rebuild the workload against the Tuner packages of this tuner's version, and do not copy Tuner.*.dll or TorchSharp.dll next to it by hand";

    private static void JsonOptionsGuard(WorkloadReference reference, ConstructorInfo? plain, ConstructorInfo? withOptions, string where)
    {
        if (withOptions is null && plain is not null && reference.OptionsJson.Trim() is not ("{}" or ""))
        {
            throw new TunerInputException($"{where}: '{reference.TypeName}' takes no options (it has no constructor taking WorkloadOptions), but the suite file gives {reference.OptionsJson}: remove \"options\" or add such a constructor");
        }
    }

    private static T Read<T>(Func<T> read, WorkloadReference reference, string member, string where)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new TunerInputException($"{where}: '{reference.TypeName}'.{member} threw {ExceptionText.Describe(ex)}", ex);
        }
    }

    private static Assembly Load(string path, string where)
    {
        Lazy<Assembly> lazy = Loaded.GetOrAdd(path, p => new Lazy<Assembly>(() => new WorkloadLoadContext(p).LoadFromAssemblyPath(p)));
        try
        {
            return lazy.Value;
        }
        catch (BadImageFormatException ex)
        {
            Loaded.TryRemove(path, out _);
            throw new TunerInputException($"{where}: '{path}' is not a .NET assembly: point \"assembly\" at the workload project's built .dll (bin/Release/net10.0/NAME.dll)", ex);
        }
        catch (FileLoadException ex)
        {
            Loaded.TryRemove(path, out _);
            throw new TunerInputException($"{where}: '{path}' cannot be loaded ({ExceptionText.FirstLine(ex.Message)}): {Rebuild}", ex);
        }
    }

    private static IEnumerable<string> ExportedWorkloads(Assembly assembly)
    {
        try
        {
            return [.. assembly.GetExportedTypes().Where(t => !t.IsAbstract && typeof(IWorkload).IsAssignableFrom(t)).Select(t => t.FullName!)];
        }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or FileNotFoundException or FileLoadException)
        {
            return [];
        }
    }
}
