using System;
using System.Buffers;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Rampart.Binding;

/// <summary>
/// Collects array items so that the final array or list is allocated once, at its exact size: the
/// first eight items live inline (no pool traffic for the common small array), more spill into a
/// pooled buffer. Generated binders stop adding (and fail) as soon as the declared maximum is
/// exceeded, so an oversized array never grows a buffer past its maximum.
/// </summary>
public struct ArrayBuilder<T> : IDisposable
{
    private const int InlineCapacity = 8;
    private InlineItems _inline;
    private T[]? _items;
    private int _count;

    /// <summary>The number of items added.</summary>
    public readonly int Count => _count;

    /// <summary>Appends an item.</summary>
    public void Add(T item)
    {
        if (_items is null)
        {
            if (_count < InlineCapacity)
            {
                _inline[_count++] = item;
                return;
            }

            _items = ArrayPool<T>.Shared.Rent(InlineCapacity * 2);
            ((ReadOnlySpan<T>)_inline).CopyTo(_items);
            ((Span<T>)_inline).Clear();
        }
        else if (_count == _items.Length)
        {
            var bigger = ArrayPool<T>.Shared.Rent(_items.Length * 2);
            Array.Copy(_items, bigger, _count);
            Return(_items, _count);
            _items = bigger;
        }

        _items[_count++] = item;
    }

    /// <summary>The items as an exact-size array.</summary>
    public readonly T[] ToArray() => _count == 0 ? Array.Empty<T>() : Items.ToArray();

    /// <summary>The items as a list of exact capacity.</summary>
    public readonly List<T> ToList()
    {
        var list = new List<T>(_count);
        list.AddRange(Items);
        return list;
    }

    /// <summary>Returns the pooled buffer, if any.</summary>
    public void Dispose()
    {
        if (_items is not null)
        {
            Return(_items, _count);
            _items = null;
        }
        else if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            ((Span<T>)_inline).Clear();
        }

        _count = 0;
    }

    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    private readonly ReadOnlySpan<T> Items => _items is null
        ? ((ReadOnlySpan<T>)_inline)[.._count]
        : _items.AsSpan(0, _count);

    private static void Return(T[] items, int count)
    {
        // Clear references so pooled buffers do not keep request data alive.
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(items, 0, count);
        }

        ArrayPool<T>.Shared.Return(items);
    }

    [InlineArray(InlineCapacity)]
    private struct InlineItems
    {
        private T _element0;
    }
}
