using System.Buffers.Binary;
using System.Numerics;
using MsMano.ModelFormats.Numpy;

namespace MsMano.ModelFormats.Pickle;

/// <summary>
/// Torch tensors inside a plain Python pickle (<c>pickle.dump</c> of a dict of tensors, e.g. OakInk's
/// <c>anno/general_info/*.pkl</c>), read without torch. Such a tensor pickles as
/// <c>torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])</c>, and its
/// storage as <c>torch.storage._load_from_bytes(blob)</c>, where blob is torch's legacy <c>torch.save</c> format
/// (<c>_use_new_zipfile_serialization=False</c>): five pickles (magic number 0x1950a86a20f9469cfc6c, protocol 1001,
/// sys_info, the storage as persistent id <c>('storage', torch.&lt;Type&gt;Storage, key, location, numel, view)</c>,
/// the list of storage keys), then per key an int64 element count and the raw little-endian elements.
/// Tensors become <see cref="NdArray"/> (float, double, int64, int32); anything else is refused naming the type.
/// </summary>
public static class TorchPickle
{
    private static readonly BigInteger Magic = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads a pickle file and turns every torch tensor in it into an <see cref="NdArray"/>.</summary>
    public static object? Read(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new DataFormatException(path, "file", $"cannot be read ({e.Message})", e);
        }
        return ConvertTensors(PickleReader.Read(data, path), path);
    }

    public static object? ConvertTensors(object? node, string source) => node switch
    {
        PickleObject o when o.Module == "torch._utils" && o.Name is "_rebuild_tensor_v2" or "_rebuild_tensor" => Rebuild(o.Args, source),
        Dictionary<object, object?> d => d.ToDictionary(kv => kv.Key, kv => ConvertTensors(kv.Value, source), PickleKeyComparer.Instance),
        List<object?> l => l.Select(x => ConvertTensors(x, source)).ToList(),
        object?[] t => t.Select(x => ConvertTensors(x, source)).ToArray(),
        _ => node,
    };

    private static NdArray Rebuild(object?[] args, string source)
    {
        if (args.Length < 4 || args[0] is not PickleObject { Module: "torch.storage", Name: "_load_from_bytes", Args: [byte[] blob] })
        {
            throw new DataFormatException(source, "torch tensor", "storage is not torch.storage._load_from_bytes(bytes) (only CPU tensors of plain pickles are supported)");
        }
        (string type, byte[] raw, long numel) = LegacyStorage(blob, source);
        long offset = AsLong(args[1], source, "storage_offset");
        int[] size = AsInts(args[2], source, "size");
        int[] stride = AsInts(args[3], source, "stride");
        if (size.Length != stride.Length)
        {
            throw new DataFormatException(source, "torch tensor", $"size has {size.Length} dims but stride {stride.Length}");
        }
        int count = size.Aggregate(1, (a, b) => checked(a * b));
        long[] index = new long[count];
        for (int i = 0; i < count; i++)
        {
            long at = offset;
            int rest = i;
            for (int d = size.Length - 1; d >= 0; d--)
            {
                at += (long)(rest % size[d]) * stride[d];
                rest /= size[d];
            }
            if (at < 0 || at >= numel)
            {
                throw new DataFormatException(source, "torch tensor", $"element {i} lies at {at}, outside its storage of {numel}");
            }
            index[i] = at;
        }
        return type switch
        {
            "FloatStorage" => NdArray.FromFloats(index.Select(k => BinaryPrimitives.ReadSingleLittleEndian(raw.AsSpan((int)k * 4))).ToArray(), size),
            "DoubleStorage" => NdArray.FromDoubles(index.Select(k => BinaryPrimitives.ReadDoubleLittleEndian(raw.AsSpan((int)k * 8))).ToArray(), size),
            "LongStorage" => NdArray.FromInt64(index.Select(k => BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan((int)k * 8))).ToArray(), size),
            "IntStorage" => NdArray.FromInt32(index.Select(k => BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan((int)k * 4))).ToArray(), size),
            _ => throw new DataFormatException(source, "torch tensor", $"storage type torch.{type} is not supported (float, double, int64, int32 are)"),
        };
    }

    private static (string Type, byte[] Raw, long Numel) LegacyStorage(byte[] blob, string source)
    {
        string what = source + " (torch storage)";
        object? magic = PickleReader.ReadAt(blob, what, 0, out int pos, persistentIds: false);
        if (!(magic is long m ? new BigInteger(m) == Magic : magic is BigInteger b && b == Magic))
        {
            throw new DataFormatException(what, "magic number", $"{magic} is not torch's legacy format (0x1950a86a20f9469cfc6c)");
        }
        object? protocol = PickleReader.ReadAt(blob, what, pos, out pos, persistentIds: false);
        if (protocol is not 1001L)
        {
            throw new DataFormatException(what, "protocol version", $"{protocol} is not 1001");
        }
        if (PickleReader.ReadAt(blob, what, pos, out pos, persistentIds: false) is Dictionary<object, object?> info
            && info.TryGetValue("little_endian", out object? little) && little is false)
        {
            throw new DataFormatException(what, "sys_info.little_endian", "False: big-endian storages are not supported");
        }
        if (PickleReader.ReadAt(blob, what, pos, out pos, persistentIds: true) is not PicklePersistentId { Id: object?[] id }
            || id.Length < 5 || id[0] is not "storage" || id[1] is not PickleGlobal { Module: "torch" } type)
        {
            throw new DataFormatException(what, "storage", "is not a persistent id ('storage', torch.<Type>Storage, key, location, numel, ...)");
        }
        if (PickleReader.ReadAt(blob, what, pos, out pos, persistentIds: false) is not List<object?> { Count: 1 })
        {
            throw new DataFormatException(what, "storage keys", "expected exactly one storage");
        }
        int elementSize = type.Name switch
        {
            "FloatStorage" or "IntStorage" => 4,
            "DoubleStorage" or "LongStorage" => 8,
            _ => throw new DataFormatException(what, "storage type", $"torch.{type.Name} is not supported (float, double, int64, int32 are)"),
        };
        if (pos + 8 > blob.Length)
        {
            throw new DataFormatException(what, "storage size", "data end before the element count");
        }
        long numel = BinaryPrimitives.ReadInt64LittleEndian(blob.AsSpan(pos));
        pos += 8;
        if (numel < 0 || numel > (blob.Length - pos) / elementSize)
        {
            throw new DataFormatException(what, "storage size", $"{numel} elements of {elementSize} bytes do not fit in the {blob.Length - pos} bytes left");
        }
        return (type.Name, blob.AsSpan(pos, (int)(numel * elementSize)).ToArray(), numel);
    }

    private static long AsLong(object? value, string source, string field) =>
        value is long l ? l : throw new DataFormatException(source, $"torch tensor {field}", $"{value ?? "None"} is not an integer");

    private static int[] AsInts(object? value, string source, string field) =>
        value is object?[] t ? t.Select(x => checked((int)AsLong(x, source, field))).ToArray()
            : throw new DataFormatException(source, $"torch tensor {field}", $"{value ?? "None"} is not a tuple");
}
