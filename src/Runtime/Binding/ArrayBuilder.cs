using System;
using System.Buffers;
using System.Collections.Generic;

namespace Rampart.Binding;

/// <summary>
/// Collects array items into a pooled buffer so that the final array or list is allocated once,
/// at its exact size. Generated binders stop adding (and fail) as soon as the declared maximum
/// is exceeded, so an oversized array never grows a buffer past its maximum.
/// </summary>
public struct ArrayBuilder<T> : IDisposable
{
    private T[]? _items;
    private int _count;

    /// <summary>The number of items added.</summary>
    public readonly int Count => _count;

    /// <summary>Appends an item.</summary>
    public void Add(T item)
    {
        if (_items is null)
        {
            _items = ArrayPool<T>.Shared.Rent(8);
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
    public readonly T[] ToArray() => _count == 0 ? Array.Empty<T>() : _items.AsSpan(0, _count).ToArray();

    /// <summary>The items as a list of exact capacity.</summary>
    public readonly List<T> ToList()
    {
        var list = new List<T>(_count);
        list.AddRange(_items.AsSpan(0, _count));
        return list;
    }

    /// <summary>Returns the pooled buffer.</summary>
    public void Dispose()
    {
        if (_items is not null)
        {
            Return(_items, _count);
            _items = null;
            _count = 0;
        }
    }

    private static void Return(T[] items, int count)
    {
        // Clear references so pooled buffers do not keep request data alive.
        if (System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(items, 0, count);
        }

        ArrayPool<T>.Shared.Return(items);
    }
}
