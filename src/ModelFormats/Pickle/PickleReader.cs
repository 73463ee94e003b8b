using System.Collections;
using System.Numerics;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;

namespace MsMano.ModelFormats.Pickle;

/// <summary>
/// Reads Python pickles (protocols 0-5) with Razorvine.Pickle, then maps its objects onto this project's model:
/// None → null, bool, int → long (BigInteger when it does not fit), float → double, str and Python-2 str → string
/// (Python-2 byte strings decode as latin-1, like pickle.load(encoding='latin1')), bytes → byte[],
/// list → List&lt;object?&gt;, tuple → object?[], dict → Dictionary&lt;object, object?&gt; (<see cref="PickleKeyComparer"/>),
/// set → HashSet&lt;object?&gt;, any other class (scipy csc_matrix, chumpy Ch/Select) → <see cref="PickleObject"/> with
/// its BUILD state, numpy arrays → <see cref="Numpy.NdArray"/>. Nothing is ever imported or called: numpy's
/// constructors are hooks that only record their arguments. Shared references stay shared.
/// Not supported (clear error): persistent ids, so torch.save files (e.g. OakInk general_info) cannot be read;
/// use the numpy annotations (OakInk hand_j / hand_v) instead.
/// </summary>
public static class PickleReader
{
    private static readonly string[] s_numpyModules = ["numpy.core.multiarray", "numpy._core.multiarray", "numpy.core.numeric", "numpy._core.numeric"];

    static PickleReader()
    {
        // Razorvine's constructor registry is process-wide; these hooks record the call for NumpyPickleConverter.
        foreach (string module in s_numpyModules)
        {
            foreach (string name in new[] { "_reconstruct", "scalar", "_frombuffer" })
            {
                Unpickler.registerConstructor(module, name, new RecordingConstructor(module, name));
            }
        }
        Unpickler.registerConstructor("numpy", "dtype", new RecordingConstructor("numpy", "dtype"));
        Unpickler.registerConstructor("numpy", "ndarray", new RecordingConstructor("numpy", "ndarray"));
    }

    public static object? Read(string path) => Read(File.ReadAllBytes(path), path);

    public static object? Read(byte[] data, string source)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length == 0)
        {
            throw new DataFormatException(source, "offset 0", "file is empty; not a pickle");
        }
        object? raw;
        using var stream = new MemoryStream(data, writable: false);
        try
        {
            using var unpickler = new Unpickler();
            raw = unpickler.load(stream);
        }
        catch (Exception ex) when (ex is PickleException or InvalidOpcodeException or EndOfStreamException or IOException or InvalidCastException
            or IndexOutOfRangeException or ArgumentException or FormatException or OverflowException or InvalidOperationException or NullReferenceException)
        {
            throw new DataFormatException(source, $"offset {stream.Position}", Describe(ex));
        }
        var root = new ModelMapper().Map(raw);
        return NumpyPickleConverter.ConvertTree(root, source);
    }

    private static string Describe(Exception ex)
    {
        string message = (ex.InnerException ?? ex).Message;
        if (message.Contains("persistent", StringComparison.OrdinalIgnoreCase))
        {
            return "persistent ids are not supported, so torch.save files (torch tensors) cannot be read; use the numpy annotations instead";
        }
        if (ex is EndOfStreamException or IndexOutOfRangeException or ArgumentException && !message.Contains("memo", StringComparison.Ordinal))
        {
            return $"pickle is truncated or malformed: {message}";
        }
        return message;
    }

    /// <summary>Stands for a numpy callable; calling it (REDUCE/NEWOBJ) records the call as a <see cref="Recorded"/>.</summary>
    private sealed class RecordingConstructor(string module, string name) : IObjectConstructor
    {
        public string Module { get; } = module;

        public string Name { get; } = name;

        public object construct(object[] args) => new Recorded(Module, Name, args);
    }

    /// <summary>A recorded numpy call and its BUILD state; Razorvine finds <c>__setstate__</c> by the state's type.</summary>
    private sealed class Recorded(string module, string name, object[] args)
    {
        public string Module { get; } = module;

        public string Name { get; } = name;

        public object[] Args { get; } = args;

        public object? State { get; private set; }

        public void __setstate__(object[] state) => State = state;

        public void __setstate__(Hashtable state) => State = state;
    }

    /// <summary>Razorvine's objects → the project's pickle model, one pass, keeping shared references shared.</summary>
    private sealed class ModelMapper
    {
        private readonly Dictionary<object, object?> _done = new(ReferenceEqualityComparer.Instance);

        public object? Map(object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case int i:
                    return (long)i;
                case long or double or bool or string or byte[] or BigInteger:
                    return value;
            }
            if (_done.TryGetValue(value, out object? mapped))
            {
                return mapped;
            }
            switch (value)
            {
                case object[] tuple:
                {
                    var result = new object?[tuple.Length];
                    _done[value] = result;
                    for (int k = 0; k < tuple.Length; k++)
                    {
                        result[k] = Map(tuple[k]);
                    }
                    return result;
                }
                case ArrayList list:
                {
                    var result = new List<object?>(list.Count);
                    _done[value] = result;
                    foreach (object? item in list)
                    {
                        result.Add(Map(item));
                    }
                    return result;
                }
                case Hashtable table:
                {
                    var result = new Dictionary<object, object?>(PickleKeyComparer.Instance);
                    _done[value] = result;
                    foreach (DictionaryEntry entry in table)
                    {
                        result[Map(entry.Key)!] = Map(entry.Value);
                    }
                    return result;
                }
                case HashSet<object> set:
                {
                    var result = new HashSet<object?>(PickleKeyComparer.Instance!);
                    _done[value] = result;
                    foreach (object? item in set)
                    {
                        result.Add(Map(item));
                    }
                    return result;
                }
                case ClassDict classDict:
                {
                    (string module, string name) = Split(classDict.ClassName);
                    var result = new PickleObject(module, name, []);
                    _done[value] = result;
                    var state = new Dictionary<object, object?>(PickleKeyComparer.Instance);
                    foreach (KeyValuePair<string, object> entry in classDict)
                    {
                        if (entry.Key != "__class__")
                        {
                            state[entry.Key] = Map(entry.Value);
                        }
                    }
                    result.State = state.Count > 0 ? state : null;
                    return result;
                }
                case Recorded recorded:
                {
                    var result = new PickleObject(recorded.Module, recorded.Name, new object?[recorded.Args.Length]);
                    _done[value] = result;
                    for (int k = 0; k < recorded.Args.Length; k++)
                    {
                        result.Args[k] = Map(recorded.Args[k]);
                    }
                    result.State = Map(recorded.State);
                    return result;
                }
                case RecordingConstructor global:
                    return new PickleGlobal(global.Module, global.Name);
                case ClassDictConstructor global:
                    return new PickleGlobal(global.module, global.name);
                default:
                    return value;
            }
        }

        private static (string Module, string Name) Split(string fullName)
        {
            int dot = fullName.LastIndexOf('.');
            return dot < 0 ? ("", fullName) : (fullName[..dot], fullName[(dot + 1)..]);
        }
    }
}
