using System.Collections;
using System.Numerics;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;

namespace MsMano.ModelFormats.Pickle;

/// <summary>
/// Maps Razorvine's object graph (int, ArrayList, Hashtable, ClassDict, constructors as values) onto the reader's
/// value mapping (long, List, Dictionary with <see cref="PickleKeyComparer"/>, <see cref="PickleObject"/>,
/// <see cref="PickleGlobal"/>), keeping shared and cyclic references shared.
/// </summary>
internal static class RazorvineValues
{
    public static object? Convert(object? root) => new Converter().Value(root);

    private sealed class Converter
    {
        private readonly Dictionary<object, object?> _done = new(ReferenceEqualityComparer.Instance);

        public object? Value(object? value)
        {
            switch (value)
            {
                case null:
                    return null;
                case int i:
                    return (long)i;
                case BigInteger big:
                    return big >= long.MinValue && big <= long.MaxValue ? (long)big : big;
                case long or double or bool or string or byte[]:
                    return value;
            }

            if (_done.TryGetValue(value, out object? seen))
            {
                return seen;
            }

            switch (value)
            {
                case object[] tuple:
                {
                        object?[] result = new object?[tuple.Length];
                    _done[value] = result;
                    for (int i = 0; i < tuple.Length; i++)
                    {
                        result[i] = Value(tuple[i]);
                    }

                    return result;
                }
                case ArrayList list:
                {
                    var result = new List<object?>(list.Count);
                    _done[value] = result;
                    foreach (object? item in list)
                    {
                        result.Add(Value(item));
                    }

                    return result;
                }
                case ClassDict instance:
                {
                    int dot = instance.ClassName.LastIndexOf('.');
                    var result = new PickleObject(dot < 0 ? "" : instance.ClassName[..dot], instance.ClassName[(dot + 1)..], []);
                    _done[value] = result;
                    // A ClassDict holds only __class__ until BUILD gives it the instance's __dict__.
                    if (instance.Count > 1)
                    {
                        var state = new Dictionary<object, object?>(PickleKeyComparer.Instance);
                        foreach ((string key, object? item) in instance)
                        {
                            if (key != "__class__")
                            {
                                state[key] = Value(item);
                            }
                        }

                        result.State = state;
                    }

                    return result;
                }
                case Hashtable table:
                {
                    var result = new Dictionary<object, object?>(table.Count, PickleKeyComparer.Instance);
                    _done[value] = result;
                    foreach (DictionaryEntry entry in table)
                    {
                        result[Value(entry.Key) ?? throw new PickleException("dict key None is not supported")] = Value(entry.Value);
                    }

                    return result;
                }
                case HashSet<object> set:
                {
                    var result = new HashSet<object?>();
                    _done[value] = result;
                    foreach (object? item in set)
                    {
                        result.Add(Value(item));
                    }

                    return result;
                }
                case RawObject raw:
                {
                    var result = new PickleObject(raw.Module, raw.Name, new object?[raw.Args.Length]);
                    _done[value] = result;
                    for (int i = 0; i < raw.Args.Length; i++)
                    {
                        result.Args[i] = Value(raw.Args[i]);
                    }

                    result.State = Value(raw.State);
                    return result;
                }
                case PicklePersistentId id:
                    return _done[value] = new PicklePersistentId(Value(id.Id));
                case PickleConstructors.RawConstructor c:
                    return _done[value] = new PickleGlobal(c.Module, c.Name);
                case ClassDictConstructor c:
                    return _done[value] = new PickleGlobal(c.module, c.name);
                case IObjectConstructor c:
                    // Razorvine's own constructors (set, bytearray, datetime, ...) used as values: named by what they build.
                    return _done[value] = new PickleGlobal("razorvine", c.GetType().Name);
                default:
                    return value; // decimal, DateTime, TimeSpan, ComplexNumber: Razorvine's own mapping
            }
        }
    }
}
