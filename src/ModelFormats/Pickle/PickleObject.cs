namespace MsMano.ModelFormats.Pickle;

/// <summary>A reference to a Python callable or class by name (GLOBAL / STACK_GLOBAL) used as a value. Nothing is ever imported.</summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => $"{Module}.{Name}";

    public override string ToString() => FullName;
}

/// <summary>
/// An object the pickle asked to construct (REDUCE, NEWOBJ, INST, OBJ, copy_reg._reconstructor),
/// kept as data: the class or callable name, its constructor arguments and the BUILD state
/// (usually the instance __dict__).
/// Examples: scipy.sparse csc_matrix (state holds data/indices/indptr/_shape), chumpy Ch (state holds x) and
/// chumpy Select (state holds a/idxs/preferred_shape).
/// </summary>
public sealed class PickleObject(string module, string name, object?[] args)
{
    public string Module { get; } = module;

    public string Name { get; } = name;

    public string FullName => $"{Module}.{Name}";

    /// <summary>Constructor arguments (REDUCE args tuple, NEWOBJ args, ...).</summary>
    public object?[] Args { get; } = args;

    /// <summary>The BUILD state, or null when the pickle had no BUILD for this object.</summary>
    public object? State { get; set; }

    /// <summary>
    /// Looks up <paramref name="key"/> in the BUILD state. Handles a plain dict state and the
    /// (dict, slots-dict) tuple form Python uses for classes with __slots__.
    /// </summary>
    public bool TryGetStateValue(string key, out object? value)
    {
        switch (State)
        {
            case Dictionary<object, object?> dict when dict.TryGetValue(key, out value):
                return true;
            case object?[] { Length: 2 } pair:
                foreach (object? part in pair)
                {
                    if (part is Dictionary<object, object?> d && d.TryGetValue(key, out value))
                    {
                        return true;
                    }
                }

                break;
        }

        value = null;
        return false;
    }

    public bool Is(string module, string name) => Module == module && Name == name;

    public override string ToString() => $"PickleObject {FullName}({Args.Length} args{(State is null ? "" : ", state")})";
}

/// <summary>Python-like key equality for dict keys: values for scalars and strings, element-wise for tuples.</summary>
public sealed class PickleKeyComparer : IEqualityComparer<object>
{
    public static readonly PickleKeyComparer Instance = new();

    public new bool Equals(object? x, object? y)
    {
        if (x is object?[] a && y is object?[] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (!Equals(a[i], b[i]))
                {
                    return false;
                }
            }

            return true;
        }

        if (x is byte[] p && y is byte[] q)
        {
            return p.AsSpan().SequenceEqual(q);
        }

        return object.Equals(x, y);
    }

    public int GetHashCode(object obj)
    {
        switch (obj)
        {
            case object?[] tuple:
                var hash = new HashCode();
                foreach (object? item in tuple)
                {
                    hash.Add(item is null ? 0 : GetHashCode(item));
                }

                return hash.ToHashCode();
            case byte[] bytes:
                var h = new HashCode();
                h.AddBytes(bytes);
                return h.ToHashCode();
            default:
                return obj.GetHashCode();
        }
    }
}

/// <summary>A persistent id (PERSID / BINPERSID) left for the caller to resolve, e.g. a storage of torch's legacy format.</summary>
public sealed record PicklePersistentId(object? Id);
