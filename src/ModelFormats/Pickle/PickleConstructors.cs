using System.Collections;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;

namespace MsMano.ModelFormats.Pickle;

/// <summary>
/// The classes and functions our pickles construct with arguments (numpy arrays and dtypes, scipy sparse matrices,
/// chumpy objects, torch tensors and storages), registered once with Razorvine as data-only stand-ins
/// (<see cref="RawObject"/>); any other class falls back to Razorvine's ClassDict (no arguments, a dict state).
/// </summary>
internal static class PickleConstructors
{
    private static readonly string[] Recorded =
    [
        "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
        "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar",
        "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
        "numpy.dtype",
        "scipy.sparse.csc.csc_matrix", "scipy.sparse._csc.csc_matrix",
        "scipy.sparse.csr.csr_matrix", "scipy.sparse._csr.csr_matrix",
        "chumpy.ch.Ch", "chumpy.reordering.Select",
        "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor", "torch.storage._load_from_bytes",
    ];

    static PickleConstructors()
    {
        // Razorvine's registry is one static dictionary: it is written here, once, before any read.
        foreach (string fullName in Recorded)
        {
            int dot = fullName.LastIndexOf('.');
            Unpickler.registerConstructor(fullName[..dot], fullName[(dot + 1)..], new RawConstructor(fullName[..dot], fullName[(dot + 1)..]));
        }

        foreach (string module in new[] { "__builtin__", "builtins" })
        {
            Unpickler.registerConstructor(module, "frozenset", new SetConstructor());
        }

        Unpickler.registerConstructor("collections", "OrderedDict", new OrderedDictConstructor());
        foreach (string module in new[] { "copy_reg", "copyreg" })
        {
            Unpickler.registerConstructor(module, "_reconstructor", new ReconstructorConstructor());
        }
    }

    /// <summary>Runs the static registration (a no-op after the first call).</summary>
    public static void EnsureRegistered()
    {
    }

    /// <summary>Records the call (module.name, arguments) as a <see cref="RawObject"/>.</summary>
    internal sealed class RawConstructor(string module, string name) : IObjectConstructor
    {
        public string Module { get; } = module;

        public string Name { get; } = name;

        public object construct(object[] args) => new RawObject(Module, Name, args);
    }

    /// <summary>collections.OrderedDict: a dict (Razorvine's SETITEMS needs a Hashtable), filled from (key, value) pairs if given.</summary>
    private sealed class OrderedDictConstructor : IObjectConstructor
    {
        public object construct(object[] args)
        {
            var table = new Hashtable();
            if (args is [IEnumerable pairs])
            {
                foreach (object pair in pairs)
                {
                    if (pair is not object[] { Length: 2 } kv)
                    {
                        throw new PickleException("collections.OrderedDict argument holds an item that is not a (key, value) pair");
                    }

                    table[kv[0]] = kv[1];
                }
            }

            return table;
        }
    }

    /// <summary>copy_reg._reconstructor(cls, base, state): Python 2's protocol-0/1 form of a new-style instance.</summary>
    private sealed class ReconstructorConstructor : IObjectConstructor
    {
        public object construct(object[] args) => args switch
        {
            [RawConstructor c, ..] => new RawObject(c.Module, c.Name, args[1..]),
            [ClassDictConstructor c, ..] => new RawObject(c.module, c.name, args[1..]),
            _ => throw new PickleException("copy_reg._reconstructor needs a class as its first argument"),
        };
    }
}

/// <summary>An object the pickle constructed, as Razorvine leaves it: name, arguments, and the BUILD state set by its <c>__setstate__</c>.</summary>
internal sealed class RawObject(string module, string name, object[] args)
{
    public string Module { get; } = module;

    public string Name { get; } = name;

    public object[] Args { get; } = args;

    public object? State { get; private set; }

    /// <summary>Razorvine's BUILD calls this by name, with any state.</summary>
#pragma warning disable IDE1006, CA1707 // the name is Python's, looked up by reflection
    public void __setstate__(object state) => State = state;
#pragma warning restore IDE1006, CA1707
}
