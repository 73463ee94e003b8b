using System.Text;
using MsMano.ModelFormats.Numpy;

namespace MsMano.ModelFormats.Pickle;

/// <summary>
/// Turns the pickled forms of numpy arrays into <see cref="NdArray"/>s after the unpickler has run
/// (BUILD mutates objects after they are memoised, so conversion must wait until STOP):
/// - numpy.core.multiarray._reconstruct (also numpy._core...) + BUILD state
///   (version, shape, dtype, is_fortran, rawdata), rawdata as bytes or as a latin-1 Python-2 str;
/// - numpy.core.numeric._frombuffer(buffer, dtype, shape, order) (protocol 5);
/// - numpy.core.multiarray.scalar(dtype, rawdata) → a 0-d array.
/// A numpy.dtype is numpy.dtype(typestr, align, copy) + BUILD state (version, byteorder, ...).
/// Object arrays and other unsupported dtypes are left as <see cref="PickleObject"/>s.
/// </summary>
internal static class NumpyPickleConverter
{
    public static object? ConvertTree(object? root, string source)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        return Convert(root, source, visited);
    }

    private static object? Convert(object? value, string source, HashSet<object> visited)
    {
        if (value is PickleObject obj && TryConvertArray(obj, source, out NdArray? array))
        {
            return array;
        }

        if (value is null or string or byte[] or long or double or bool || !visited.Add(value))
        {
            return value;
        }

        switch (value)
        {
            case List<object?> list:
                for (int i = 0; i < list.Count; i++)
                {
                    list[i] = Convert(list[i], source, visited);
                }

                break;
            case object?[] tuple:
                for (int i = 0; i < tuple.Length; i++)
                {
                    tuple[i] = Convert(tuple[i], source, visited);
                }

                break;
            case Dictionary<object, object?> dict:
                ConvertDictValues(dict, source, visited);
                break;
            case PickleObject pickleObject:
                for (int i = 0; i < pickleObject.Args.Length; i++)
                {
                    pickleObject.Args[i] = Convert(pickleObject.Args[i], source, visited);
                }

                pickleObject.State = Convert(pickleObject.State, source, visited);
                break;
        }

        return value;
    }

    private static void ConvertDictValues(Dictionary<object, object?> dict, string source, HashSet<object> visited)
    {
        foreach (object key in dict.Keys.ToList())
        {
            dict[key] = Convert(dict[key], source, visited);
        }
    }

    private static bool IsNumpy(PickleObject obj, string submodule, string name) =>
        obj.Name == name && (obj.Module == $"numpy.core.{submodule}" || obj.Module == $"numpy._core.{submodule}");

    private static bool TryConvertArray(PickleObject obj, string source, out NdArray? array)
    {
        array = null;
        if (IsNumpy(obj, "multiarray", "_reconstruct"))
        {
            if (obj.State is not object?[] { Length: 5 } state)
            {
                return false;
            }

            if (!TryDType(state[2], out NpyDType dtype, out bool bigEndian) || !TryRaw(state[4], out byte[] raw))
            {
                return false;
            }

            int[] shape = Shape(state[1], source, obj.FullName);
            bool fortran = state[3] is true || (state[3] is long l && l != 0);
            array = Build(dtype, bigEndian, shape, fortran, raw, source, obj.FullName);
            return true;
        }

        if (IsNumpy(obj, "numeric", "_frombuffer") && obj.Args.Length == 4)
        {
            if (!TryRaw(obj.Args[0], out byte[] raw) || !TryDType(obj.Args[1], out NpyDType dtype, out bool bigEndian))
            {
                return false;
            }

            int[] shape = Shape(obj.Args[2], source, obj.FullName);
            array = Build(dtype, bigEndian, shape, obj.Args[3] is "F", raw, source, obj.FullName);
            return true;
        }

        if (IsNumpy(obj, "multiarray", "scalar") && obj.Args.Length == 2 &&
            TryDType(obj.Args[0], out NpyDType scalarType, out bool scalarBig) && TryRaw(obj.Args[1], out byte[] scalarRaw))
        {
            array = Build(scalarType, scalarBig, [], false, scalarRaw, source, obj.FullName);
            return true;
        }

        return false;
    }

    private static NdArray Build(NpyDType dtype, bool bigEndian, int[] shape, bool fortran, byte[] raw, string source, string what)
    {
        long expected = NdArray.ElementCount(shape) * dtype.ItemSize;
        if (raw.LongLength != expected)
        {
            throw new DataFormatException(source, $"{what} data",
                $"{dtype} array of shape ({string.Join(", ", shape)}) needs {expected} bytes, the pickle holds {raw.LongLength}");
        }

        byte[] data = (byte[])raw.Clone();
        if (bigEndian)
        {
            NpyReader.SwapBytes(data, dtype.ItemSize);
        }

        if (fortran)
        {
            data = NdArray.FortranToC(data, shape, dtype.ItemSize);
        }

        return new NdArray(dtype, shape, data, fortran);
    }

    private static int[] Shape(object? value, string source, string what)
    {
        if (value is not object?[] tuple)
        {
            throw new DataFormatException(source, $"{what} shape", $"expected a tuple of ints, got {value?.GetType().Name ?? "None"}");
        }

        int[] shape = new int[tuple.Length];
        for (int i = 0; i < tuple.Length; i++)
        {
            if (tuple[i] is not long dim || dim < 0 || dim > int.MaxValue)
            {
                throw new DataFormatException(source, $"{what} shape", $"dimension {i} is {tuple[i] ?? "None"}");
            }

            shape[i] = (int)dim;
        }

        return shape;
    }

    private static bool TryRaw(object? value, out byte[] raw)
    {
        switch (value)
        {
            case byte[] bytes:
                raw = bytes;
                return true;
            case string text: // Python 2 str loaded with encoding='latin1': numpy re-encodes it as latin-1
                raw = Encoding.Latin1.GetBytes(text);
                return true;
            default:
                raw = [];
                return false;
        }
    }

    private static bool TryDType(object? value, out NpyDType dtype, out bool bigEndian)
    {
        dtype = default;
        bigEndian = false;
        if (value is not PickleObject { Name: "dtype" } obj || !obj.Module.StartsWith("numpy", StringComparison.Ordinal) ||
            obj.Args.Length == 0 || obj.Args[0] is not string typeString)
        {
            return false;
        }

        // The BUILD state's second item is the byte order: '<', '>', '|' or '='.
        string order = obj.State is object?[] { Length: >= 2 } state && state[1] is string o ? o : "=";
        if (!NpyDType.TryParse(typeString, out dtype, out _))
        {
            return false;
        }

        bigEndian = order == ">" && dtype.ItemSize > 1;
        return true;
    }
}
