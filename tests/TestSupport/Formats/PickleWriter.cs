using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using MsMano.ModelFormats.Numpy;

using MsMano.ModelFormats.Pickle;

namespace MsMano.TestSupport.Formats;

/// <summary>
/// Writes pickles that CPython's pickle.load reads, in the same value mapping as <see cref="PickleReader"/>:
/// null, bool, int/long/BigInteger, double, string, byte[], List (list), object?[] (tuple), Dictionary (dict),
/// <see cref="NdArray"/> (as numpy.core.multiarray._reconstruct + BUILD, like numpy's own __reduce__),
/// <see cref="PickleGlobal"/> and <see cref="PickleObject"/> (GLOBAL + args + REDUCE [+ BUILD]).
/// It exists to produce test fixtures in the native formats (e.g. OakInk annotations, a synthetic
/// MANO_RIGHT.pkl); <paramref name="python2Strings"/> writes every str as a Python-2 byte string
/// (SHORT_BINSTRING/BINSTRING, latin-1), as Python 2 pickles such as MANO_RIGHT.pkl do.
/// The same object reference written twice is memoised and read back with BINGET, as CPython does.
/// </summary>
public sealed class PickleWriter
{
    private readonly MemoryStream _out = new();
    private readonly Dictionary<object, int> _memo = new(ReferenceEqualityComparer.Instance);
    private readonly int _protocol;
    private readonly bool _python2Strings;

    private PickleWriter(int protocol, bool python2Strings)
    {
        _protocol = protocol;
        _python2Strings = python2Strings;
    }

    public static byte[] Write(object? value, int protocol = 4, bool python2Strings = false)
    {
        if (protocol is < 2 or > 5)
        {
            throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "The writer produces protocols 2 to 5.");
        }

        var writer = new PickleWriter(protocol, python2Strings);
        writer.Emit(0x80, (byte)protocol);
        writer.Save(value);
        writer.Emit((byte)'.');
        byte[] body = writer._out.ToArray();
        if (protocol < 4)
        {
            return body;
        }

        // One FRAME around everything after PROTO, as CPython does for small pickles.
        byte[] framed = new byte[2 + 9 + body.Length - 2];
        body.AsSpan(0, 2).CopyTo(framed);
        framed[2] = 0x95;
        BinaryPrimitives.WriteInt64LittleEndian(framed.AsSpan(3, 8), body.Length - 2);
        body.AsSpan(2).CopyTo(framed.AsSpan(11));
        return framed;
    }

    public static void WriteFile(string path, object? value, int protocol = 4, bool python2Strings = false) =>
        File.WriteAllBytes(path, Write(value, protocol, python2Strings));

    private void Save(object? value)
    {
        switch (value)
        {
            case null:
                Emit((byte)'N');
                return;
            case bool b:
                Emit(b ? (byte)0x88 : (byte)0x89);
                return;
            case int i:
                SaveInt(i);
                return;
            case long l:
                SaveInt(l);
                return;
            case BigInteger big:
                byte[] bytes = big.ToByteArray(isUnsigned: false, isBigEndian: false);
                Emit(0x8a, (byte)bytes.Length);
                _out.Write(bytes);
                return;
            case double d:
                Span<byte> f = stackalloc byte[8];
                BinaryPrimitives.WriteDoubleBigEndian(f, d);
                Emit((byte)'G');
                _out.Write(f);
                return;
            case float s:
                Save((double)s);
                return;
            case string text:
                SaveString(text);
                return;
        }

        if (_memo.TryGetValue(value, out int memoIndex))
        {
            SaveGet(memoIndex);
            return;
        }

        switch (value)
        {
            case byte[] raw:
                SaveBytes(raw);
                Memoize(value);
                break;
            case object?[] tuple:
                SaveTuple(tuple);
                Memoize(value);
                break;
            case List<object?> list:
                Emit((byte)']');
                Memoize(value);
                if (list.Count > 0)
                {
                    Emit((byte)'(');
                    foreach (object? item in list)
                    {
                        Save(item);
                    }

                    Emit((byte)'e');
                }

                break;
            case Dictionary<object, object?> dict:
                Emit((byte)'}');
                Memoize(value);
                if (dict.Count > 0)
                {
                    Emit((byte)'(');
                    foreach ((object k, object? v) in dict)
                    {
                        Save(k);
                        Save(v);
                    }

                    Emit((byte)'u');
                }

                break;
            case PickleGlobal global:
                SaveGlobal(global.Module, global.Name);
                break;
            case PickleObject obj:
                SaveGlobal(obj.Module, obj.Name);
                SaveTuple(obj.Args);
                Emit((byte)'R');
                Memoize(value);
                if (obj.State is not null)
                {
                    Save(obj.State);
                    Emit((byte)'b');
                }

                break;
            case NdArray array:
                SaveArray(array);
                Memoize(value);
                break;
            default:
                throw new ArgumentException($"Cannot pickle a {value.GetType().Name}.", nameof(value));
        }
    }

    // numpy's ndarray.__reduce__: _reconstruct(ndarray, (0,), b'b') then BUILD (1, shape, dtype, is_fortran, raw).
    private void SaveArray(NdArray array)
    {
        SaveGlobal("numpy.core.multiarray", "_reconstruct");
        SaveGlobal("numpy", "ndarray");
        SaveTuple([0L]);
        SaveBytes("b"u8.ToArray());
        Emit(0x87);
        Emit((byte)'R');
        string typeString = array.DType.Descr[1..];
        string order = array.DType.ItemSize == 1 ? "|" : "<";
        var dtype = new PickleObject("numpy", "dtype", [typeString, false, true])
        {
            State = new object?[] { 3L, order, null, null, null, -1L, -1L, 0L },
        };
        object?[] state = new object?[] { 1L, array.Shape.Select(d => (object?)(long)d).ToArray(), dtype, false, array.RawBytes.ToArray() };
        Save(state);
        Emit((byte)'b');
    }

    private void SaveTuple(object?[] tuple)
    {
        switch (tuple.Length)
        {
            case 0:
                Emit((byte)')');
                return;
            case <= 3:
                foreach (object? item in tuple)
                {
                    Save(item);
                }

                Emit((byte)(0x84 + tuple.Length));
                return;
            default:
                Emit((byte)'(');
                foreach (object? item in tuple)
                {
                    Save(item);
                }

                Emit((byte)'t');
                return;
        }
    }

    private void SaveBytes(byte[] raw)
    {
        if (_python2Strings || _protocol < 3)
        {
            // Python 2 str: the reader decodes it as latin-1, numpy turns it back into bytes.
            SaveBinString(raw);
            return;
        }

        if (raw.Length < 256)
        {
            Emit((byte)'C', (byte)raw.Length);
        }
        else
        {
            Emit((byte)'B');
            WriteInt32(raw.Length);
        }

        _out.Write(raw);
    }

    private void SaveString(string text)
    {
        if (_python2Strings)
        {
            SaveBinString(Encoding.Latin1.GetBytes(text));
            return;
        }

        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        if (utf8.Length < 256 && _protocol >= 4)
        {
            Emit(0x8c, (byte)utf8.Length);
        }
        else
        {
            Emit((byte)'X');
            WriteInt32(utf8.Length);
        }

        _out.Write(utf8);
    }

    private void SaveBinString(byte[] raw)
    {
        if (raw.Length < 256)
        {
            Emit((byte)'U', (byte)raw.Length);
        }
        else
        {
            Emit((byte)'T');
            WriteInt32(raw.Length);
        }

        _out.Write(raw);
    }

    private void SaveGlobal(string module, string name)
    {
        if (_protocol >= 4 && !_python2Strings)
        {
            SaveString(module);
            SaveString(name);
            Emit(0x93);
            return;
        }

        Emit((byte)'c');
        _out.Write(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));
    }

    private void SaveInt(long value)
    {
        if (value is >= 0 and <= 0xff)
        {
            Emit((byte)'K', (byte)value);
        }
        else if (value is >= 0 and <= 0xffff)
        {
            Emit((byte)'M', (byte)(value & 0xff), (byte)(value >> 8));
        }
        else if (value is >= int.MinValue and <= int.MaxValue)
        {
            Emit((byte)'J');
            WriteInt32((int)value);
        }
        else
        {
            Save(new BigInteger(value));
        }
    }

    private void Memoize(object value)
    {
        int index = _memo.Count;
        _memo[value] = index;
        if (_protocol >= 4)
        {
            Emit(0x94);
        }
        else if (index < 256)
        {
            Emit((byte)'q', (byte)index);
        }
        else
        {
            Emit((byte)'r');
            WriteInt32(index);
        }
    }

    private void SaveGet(int index)
    {
        if (index < 256)
        {
            Emit((byte)'h', (byte)index);
        }
        else
        {
            Emit((byte)'j');
            WriteInt32(index);
        }
    }

    private void WriteInt32(int value)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(buffer, value);
        _out.Write(buffer);
    }

    private void Emit(params ReadOnlySpan<byte> bytes) => _out.Write(bytes);
}
