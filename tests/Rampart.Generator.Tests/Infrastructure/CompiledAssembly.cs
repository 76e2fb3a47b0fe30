using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Rampart.Generator.Tests.Infrastructure;

/// <summary>
/// The output compilation of a generator run, emitted and loaded in a collectible
/// <see cref="AssemblyLoadContext"/>. Rampart and ASP.NET Core resolve from the test's own context,
/// so runtime types (BindingError, ValidationErrors, …) are shared with the test.
/// </summary>
public sealed class CompiledAssembly : IDisposable
{
    private readonly AssemblyLoadContext _context;

    private CompiledAssembly(AssemblyLoadContext context, Assembly assembly)
    {
        _context = context;
        Assembly = assembly;
    }

    public Assembly Assembly { get; }

    public static CompiledAssembly Load(GeneratorOutput output)
    {
        output.AssertCompiles();
        using var stream = new MemoryStream();
        var result = output.OutputCompilation.Emit(stream);
        if (!result.Success)
        {
            throw new Xunit.Sdk.XunitException("Emit failed:\n" + string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(GeneratorOutput.Describe)));
        }

        stream.Position = 0;
        var context = new AssemblyLoadContext("Rampart.Generator.Tests." + output.OutputCompilation.AssemblyName, isCollectible: true);
        return new CompiledAssembly(context, context.LoadFromStream(stream));
    }

    /// <summary>Calls the public static method <paramref name="method"/> of the type <paramref name="typeName"/>.</summary>
    public object? Call(string typeName, string method, params object?[] args)
    {
        var type = Assembly.GetType(typeName, throwOnError: true)!;
        var info = type.GetMethod(method, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new MissingMethodException(typeName, method);
        try
        {
            return info.Invoke(null, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    public T Call<T>(string typeName, string method, params object?[] args) => (T)Call(typeName, method, args)!;

    public void Dispose() => _context.Unload();
}
