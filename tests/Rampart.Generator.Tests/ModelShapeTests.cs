using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Rampart.Generator.Model;
using Xunit;

namespace Rampart.Generator.Tests;

/// <summary>
/// The model that flows through the incremental pipeline must compare by value and hold no Roslyn
/// objects (which would pin compilations in memory and defeat caching).
/// </summary>
public sealed class ModelShapeTests
{
    private static readonly Type[] Forbidden =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxTree),
        typeof(SyntaxToken), typeof(SyntaxReference), typeof(AttributeData), typeof(Diagnostic),
    };

    private static IEnumerable<Type> ModelTypes() =>
        typeof(RampartGenerator).Assembly.GetTypes()
            .Where(t => t.Namespace == "Rampart.Generator.Model" && !t.IsDefined(typeof(System.Runtime.CompilerServices.CompilerGeneratedAttribute), false))
            .Where(t => !t.IsAbstract || !t.IsSealed) // static helper classes hold no state
            .Where(t => !t.IsGenericTypeDefinition || t.Name.StartsWith("EquatableArray", StringComparison.Ordinal));

    /// <summary>Every problem found walking <paramref name="root"/> and the types it reaches.</summary>
    internal static List<string> Problems(Type root)
    {
        var problems = new List<string>();
        var seen = new HashSet<Type>();
        var pending = new Stack<(Type Type, string Path)>();
        pending.Push((root, root.Name));
        while (pending.Count > 0)
        {
            var (type, path) = pending.Pop();
            if (type.IsGenericParameter || !seen.Add(type))
            {
                continue;
            }

            if (Forbidden.FirstOrDefault(f => f.IsAssignableFrom(type)) is { } forbidden)
            {
                problems.Add($"{path}: {type.Name} is a {forbidden.Name}");
                continue;
            }

            if (Nullable.GetUnderlyingType(type) is { } underlying)
            {
                pending.Push((underlying, path));
                continue;
            }

            if (type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal))
            {
                continue;
            }

            if (type == typeof(object) || type.IsInterface || type.IsPointer || typeof(Delegate).IsAssignableFrom(type))
            {
                problems.Add($"{path}: {type.Name} can hold anything and has no value equality");
                continue;
            }

            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(EquatableArray<>))
            {
                // The backing array is compared item by item; what matters is the element type.
                pending.Push((type.GetGenericArguments()[0], path + "[]"));
                continue;
            }

            if (type.IsArray || (typeof(IEnumerable).IsAssignableFrom(type) && type != typeof(string)))
            {
                problems.Add($"{path}: {type.Name} is a collection without value equality (use EquatableArray<T>)");
                continue;
            }

            if (!typeof(IEquatable<>).MakeGenericType(type).IsAssignableFrom(type))
            {
                problems.Add($"{path}: {type.Name} does not implement IEquatable<{type.Name}>");
            }

            foreach (var argument in type.GetGenericArguments())
            {
                pending.Push((argument, $"{path}<{argument.Name}>"));
            }

            const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;
            foreach (var field in type.GetFields(Instance))
            {
                pending.Push((field.FieldType, path + "." + field.Name));
            }

            foreach (var property in type.GetProperties(Instance).Where(p => p.GetIndexParameters().Length == 0))
            {
                if (property.Name == "EqualityContract")
                {
                    continue; // records' compiler-generated Type property
                }

                pending.Push((property.PropertyType, path + "." + property.Name));
            }
        }

        return problems;
    }

    public static TheoryData<string> ModelTypeNames => new(ModelTypes().Select(t => t.FullName!));

    [Fact]
    public void TheModelNamespaceHasTheExpectedRoots()
    {
        var names = ModelTypes().Select(t => t.Name).ToList();
        foreach (string expected in new[] { "ContractModel", "ParseResult", "DiagnosticInfo", "LocationInfo", "TypeRef", "ObjectModel", "MemberModel", "RuleModel", "PatternModel", "HandlerModel", "EquatableArray`1" })
        {
            Assert.Contains(expected, names);
        }
    }

    [Theory]
    [MemberData(nameof(ModelTypeNames))]
    public void ModelTypeHoldsNoRoslynObjectsAndComparesByValue(string typeName)
    {
        var type = typeof(RampartGenerator).Assembly.GetType(typeName, throwOnError: true)!;
        if (type.IsGenericTypeDefinition)
        {
            type = type.MakeGenericType(typeof(string));
        }

        Assert.Empty(Problems(type));
    }

    [Fact]
    public void WalkReachesEveryTypeThroughGenericArgumentsAndArrays()
    {
        // ContractModel reaches PatternAtom only through EquatableArray<PatternModel> → EquatableArray<PatternAtom>
        // → EquatableArray<CharRange>; the walker must see them, so a forbidden type there would be caught.
        Assert.Contains(Problems(typeof(Bad.HoldsSymbolInArray)), p => p.Contains("ISymbol", StringComparison.Ordinal));
        Assert.Contains(Problems(typeof(Bad.HoldsLocation)), p => p.Contains("Location", StringComparison.Ordinal));
        Assert.Contains(Problems(typeof(Bad.HoldsNestedCompilation)), p => p.Contains("Compilation", StringComparison.Ordinal));
        Assert.Contains(Problems(typeof(Bad.HoldsList)), p => p.Contains("collection", StringComparison.Ordinal));
        Assert.Contains(Problems(typeof(Bad.HoldsObject)), p => p.Contains("anything", StringComparison.Ordinal));
        Assert.Empty(Problems(typeof(ContractModel)));
    }

    /// <summary>Walks a live object graph (a pipeline step output) for Roslyn objects.</summary>
    internal static void FindForbiddenObjects(object? value, string path, List<string> offenders, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        var type = value.GetType();
        if (Forbidden.FirstOrDefault(f => f.IsInstanceOfType(value)) is { } forbidden)
        {
            offenders.Add($"{path}: {type.Name} is a {forbidden.Name}");
            return;
        }

        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                FindForbiddenObjects(item, $"{path}[{i++}]", offenders, seen);
            }
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            FindForbiddenObjects(field.GetValue(value), path + "." + field.Name, offenders, seen);
        }
    }

    /// <summary>Deliberately bad shapes proving the walker fails when it should.</summary>
    private static class Bad
    {
        public sealed record Inner(Compilation Compilation);

        public sealed record HoldsSymbolInArray(EquatableArray<Wrapper> Items);

        public sealed record Wrapper(EquatableArray<string> Names, ISymbol? Symbol);

        public sealed record HoldsLocation(string Name, Location? Where);

        public sealed record HoldsNestedCompilation(Inner? Inner);

        public sealed record HoldsList(List<string> Names);

        public sealed record HoldsObject(object Value);
    }
}
