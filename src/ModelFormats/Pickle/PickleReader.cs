using Razorvine.Pickle;

namespace MsMano.ModelFormats.Pickle;

/// <summary>
/// Reads Python pickles (protocols 0-5) with Razorvine.Pickle's unpickler, which never imports or runs Python code,
/// and hands back plain data: None → null, bool, int → long (BigInteger when it does not fit), float → double,
/// str and Python-2 str → string (Python-2 byte strings as latin-1, like pickle.load(encoding='latin1')),
/// bytes → byte[], list → List&lt;object?&gt;, tuple → object?[], dict → Dictionary&lt;object, object?&gt;
/// (<see cref="PickleKeyComparer"/>), set → HashSet&lt;object?&gt;, a class used as a value → <see cref="PickleGlobal"/>,
/// an instance → <see cref="PickleObject"/>, numpy arrays → <see cref="Numpy.NdArray"/>
/// (<see cref="PickleConstructors"/> lists the classes and functions read with their constructor arguments).
/// Persistent ids are refused unless the caller asks for them (<see cref="ReadAt"/>, torch's legacy format in
/// <see cref="TorchPickle"/>). Any failure is one <see cref="DataFormatException"/> naming the source and the byte offset.
/// </summary>
public static class PickleReader
{
    public static object? Read(string path) => Read(File.ReadAllBytes(path), path);

    public static object? Read(byte[] data, string source) => ReadAt(data, source, 0, out _, persistentIds: false);

    /// <summary>One pickle starting at <paramref name="offset"/> (several may follow one another, as in torch's legacy format); <paramref name="end"/> is the byte after its STOP.</summary>
    public static object? ReadAt(byte[] data, string source, int offset, out int end, bool persistentIds)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (offset >= data.Length)
        {
            throw new DataFormatException(source, $"offset {offset}", offset == 0 ? "file is empty; not a pickle" : "no data left; not a pickle");
        }

        PickleConstructors.EnsureRegistered();
        // Razorvine's stream reader takes bytes one opcode at a time, so the stream's position is the failing offset
        // and, after STOP, the start of whatever follows the pickle.
        using var stream = new MemoryStream(data, offset, data.Length - offset, writable: false);
        using var unpickler = new DataUnpickler(persistentIds);
        object? raw;
        try
        {
            raw = unpickler.load(stream);
        }
        catch (Exception e) when (e is not DataFormatException)
        {
            throw Failure(data, source, offset + (int)stream.Position, e);
        }

        end = offset + (int)stream.Position;
        return NumpyPickleConverter.ConvertTree(RazorvineValues.Convert(raw), source);
    }

    private static DataFormatException Failure(byte[] data, string source, int position, Exception e) => e switch
    {
        // The unknown opcode is the last byte read.
        InvalidOpcodeException => new DataFormatException(source, $"offset {position - 1} (opcode 0x{data[position - 1]:x2})",
            "unknown opcode; the data are not a pickle or are corrupt", e),
        IOException => new DataFormatException(source, $"offset {position}", "pickle is truncated: the data end before the STOP opcode", e),
        ArgumentOutOfRangeException or IndexOutOfRangeException => new DataFormatException(source, $"offset {position}",
            "stack underflow or a length past the end of the data; the pickle is corrupt", e),
        InvalidCastException => new DataFormatException(source, $"offset {position}",
            $"an opcode found a value of the wrong type on the stack; the pickle is corrupt ({e.Message})", e),
        _ => new DataFormatException(source, $"offset {position}", (e.InnerException ?? e).Message, e),
    };

    /// <summary>Resolves persistent ids to <see cref="PicklePersistentId"/> when asked to, and refuses them otherwise.</summary>
    private sealed class DataUnpickler(bool persistentIds) : Unpickler
    {
        protected override object persistentLoad(object pid) => persistentIds
            ? new PicklePersistentId(pid)
            : throw new PickleException("persistent ids (PERSID/BINPERSID) are not supported here: this is a torch.save file or another pickle that refers to storage outside itself");
    }
}
