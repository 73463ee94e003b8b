using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Numpy;
using MsMano.ModelFormats.Pickle;
using MsMano.TestSupport.Formats;

namespace MsMano.ModelFormats.Tests.Formats;

public sealed class PickleTests
{
    [Theory]
    [InlineData(CPythonPickles.Plainp0)]
    [InlineData(CPythonPickles.Plainp2)]
    [InlineData(CPythonPickles.Plainp3)]
    [InlineData(CPythonPickles.Plainp4)]
    [InlineData(CPythonPickles.Plainp5)]
    public void Reads_CPython_pickles_of_every_protocol(string hex)
    {
        Dictionary<object, object?> root = Assert.IsType<Dictionary<object, object?>>(PickleReader.Read(Convert.FromHexString(hex), "plain.pkl"));
        List<object?> ints = Assert.IsType<List<object?>>(root["ints"]);
        Assert.Equal<object?>([1L, -2L, 300L, 70000L, 1L << 40], ints.Take(5));
        Assert.Equal(-BigInteger.Pow(2, 70), Assert.IsType<BigInteger>(ints[5]));

        object?[] mix = Assert.IsType<object?[]>(root["mix"]);
        Assert.Equal(1.5, mix[0]);
        Assert.Equal("h\u00e9llo", mix[1]);
        Assert.Equal(new byte[] { 0x00, 0xff }, mix[2]);
        Assert.Null(mix[3]);
        Assert.Equal(true, mix[4]);
        Assert.Equal(false, mix[5]);

        Dictionary<object, object?> nested = Assert.IsType<Dictionary<object, object?>>(root["nested"]);
        Assert.Empty(Assert.IsType<object?[]>(nested["empty"]));
        Assert.Equal<object?>([7L], Assert.IsType<object?[]>(nested["one"]));
    }

    [Theory]
    [InlineData(CPythonPickles.Arraysp2)]
    [InlineData(CPythonPickles.Arraysp4)]
    public void Reads_numpy_arrays_pickled_by_CPython(string hex)
    {
        Dictionary<object, object?> root = Assert.IsType<Dictionary<object, object?>>(PickleReader.Read(Convert.FromHexString(hex), "arrays.pkl"));
        NdArray f32 = Assert.IsType<NdArray>(root["f32"]);
        Assert.Equal(NpyDType.Float32, f32.DType);
        Assert.Equal([2, 3], f32.Shape);
        Assert.Equal([1.5f, -2.25f, 3.0f, 0.1f, 1e-3f, -7.0f], f32.ToFloatArray());

        // Stored Fortran order: raw 1..6 for shape (3, 2) is [[1,4],[2,5],[3,6]].
        NdArray f64 = Assert.IsType<NdArray>(root["f64"]);
        Assert.True(f64.WasFortranOrder);
        Assert.Equal([1.0, 4, 2, 5, 3, 6], f64.ToDoubleArray());
    }

    [Fact]
    public void Reads_python_2_MANO_style_pickle_with_latin_1_array_data()
    {
        byte[] bytes = Python2ManoLikePickle();
        Dictionary<object, object?> root = Assert.IsType<Dictionary<object, object?>>(PickleReader.Read(bytes, "MANO_RIGHT.pkl"));

        NdArray template = Assert.IsType<NdArray>(root["v_template"]);
        Assert.Equal([2, 3], template.Shape);
        Assert.Equal([-1.5, 0.25, 1e-300, -2.0, 3.5, 255.0], template.ToDoubleArray());

        NdArray kintree = Assert.IsType<NdArray>(root["kintree_table"]);
        Assert.Equal(NpyDType.Int64, kintree.DType);
        Assert.True(kintree.WasFortranOrder);
        Assert.Equal([4294967295L, 0, 1, 0, 1, 2], kintree.ToInt64Array());

        PickleObject sparse = Assert.IsType<PickleObject>(root["J_regressor"]);
        Assert.Equal("scipy.sparse.csc.csc_matrix", sparse.FullName);
        Assert.True(sparse.TryGetStateValue("data", out object? data));
        Assert.Equal([0.5, 0.5], Assert.IsType<NdArray>(data).ToDoubleArray());
        Assert.True(sparse.TryGetStateValue("indptr", out object? indptr));
        Assert.Equal([0, 1, 2], Assert.IsType<NdArray>(indptr).ToInt32Array());
        Assert.True(sparse.TryGetStateValue("_shape", out object? shape));
        Assert.Equal<object?>([2L, 3L], Assert.IsType<object?[]>(shape));

        Assert.Equal("lbs", root["bs_style"]);
    }

    [Fact]
    public void Unknown_classes_become_pickle_objects_and_shared_references_stay_shared()
    {
        List<object?> things = Assert.IsType<List<object?>>(PickleReader.Read(Convert.FromHexString(CPythonPickles.Thingp2), "thing.pkl"));
        Assert.Equal(2, things.Count);
        foreach (object? item in things)
        {
            PickleObject thing = Assert.IsType<PickleObject>(item);
            Assert.True(thing.Is("mymod", "Thing"));
            Assert.True(thing.TryGetStateValue("x", out object? x));
            Assert.Equal(3L, x);
            Assert.True(thing.TryGetStateValue("name", out object? name));
            Assert.Equal("t", name);
        }

        Dictionary<object, object?> shared = Assert.IsType<Dictionary<object, object?>>(PickleReader.Read(Convert.FromHexString(CPythonPickles.Sharedp2), "shared.pkl"));
        Assert.Same(shared["a"], shared["b"]);
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(4, false)]
    [InlineData(5, false)]
    public void Writer_round_trips_through_reader(int protocol, bool python2Strings)
    {
        var array = NdArray.FromFloats([0.183f, -0.033f, 1.036f], 1, 3);
        var list = new List<object?> { 1L, "two", null };
        var value = new Dictionary<object, object?>
        {
            ["hand_j"] = array,
            ["list"] = list,
            ["again"] = list,
            ["big"] = 1L << 40,
            ["neg"] = -70000L,
            ["float"] = 2.5,
            ["flag"] = true,
            ["tuple"] = new object?[] { 1L, 2L, 3L, 4L },
            ["obj"] = new PickleObject("chumpy.ch", "Ch", []) { State = new Dictionary<object, object?> { ["x"] = NdArray.FromDoubles([1, 2], 2) } },
        };
        Dictionary<object, object?> back = Assert.IsType<Dictionary<object, object?>>(PickleReader.Read(PickleWriter.Write(value, protocol, python2Strings), "rt.pkl"));
        Assert.Equal(array.ToFloatArray(), Assert.IsType<NdArray>(back["hand_j"]).ToFloatArray());
        Assert.Equal<object?>([1L, "two", null], Assert.IsType<List<object?>>(back["list"]));
        Assert.Same(back["list"], back["again"]);
        Assert.Equal(1L << 40, back["big"]);
        Assert.Equal(-70000L, back["neg"]);
        Assert.Equal(2.5, back["float"]);
        Assert.Equal(true, back["flag"]);
        Assert.Equal<object?>([1L, 2L, 3L, 4L], Assert.IsType<object?[]>(back["tuple"]));
        PickleObject ch = Assert.IsType<PickleObject>(back["obj"]);
        Assert.True(ch.TryGetStateValue("x", out object? x));
        Assert.Equal([1.0, 2.0], Assert.IsType<NdArray>(x).ToDoubleArray());
    }

    [Fact]
    public void Truncated_pickles_fail_with_file_and_offset()
    {
        byte[] full = Convert.FromHexString(CPythonPickles.Arraysp2);
        foreach (int length in new[] { 1, 10, full.Length / 2, full.Length - 1 })
        {
            DataFormatException error = Assert.Throws<DataFormatException>(() => PickleReader.Read(full[..length], "cut.pkl"));
            Assert.Contains("cut.pkl", error.Message);
            Assert.Contains("offset", error.Message);
        }
    }

    [Fact]
    public void Garbage_and_unsupported_input_fail_clearly()
    {
        DataFormatException garbage = Assert.Throws<DataFormatException>(() => PickleReader.Read([0x80, 0x02, 0xff, 0x00], "junk.pkl"));
        Assert.Contains("junk.pkl: offset 2 (opcode 0xff)", garbage.Message);
        Assert.Contains("unknown opcode", garbage.Message);

        DataFormatException empty = Assert.Throws<DataFormatException>(() => PickleReader.Read([], "empty.pkl"));
        Assert.Contains("empty.pkl", empty.Message);

        // BINPERSID is what torch.save emits for tensor storages.
        DataFormatException torch = Assert.Throws<DataFormatException>(() => PickleReader.Read([0x80, 0x02, (byte)'N', (byte)'Q', (byte)'.'], "general_info.pkl"));
        Assert.Contains("torch", torch.Message);

        DataFormatException badMemo = Assert.Throws<DataFormatException>(() => PickleReader.Read([0x80, 0x02, (byte)'h', 9, (byte)'.'], "memo.pkl"));
        Assert.Contains("memo.pkl: offset", badMemo.Message);
        Assert.Contains("invalid memo key", badMemo.Message);

        // A class called with arguments that no constructor is registered for is named, not guessed at.
        DataFormatException call = Assert.Throws<DataFormatException>(() => PickleReader.Read([0x80, 0x02, (byte)'c', .. "mymod\nmake\n"u8, (byte)'K', 1, 0x85, (byte)'R', (byte)'.'], "call.pkl"));
        Assert.Contains("call.pkl: offset 18", call.Message); // where reading stopped: just after the REDUCE
        Assert.Contains("mymod.make", call.Message);

        // A length field far past the end of the data is refused without reading on.
        DataFormatException huge = Assert.Throws<DataFormatException>(() => PickleReader.Read([0x80, 0x03, (byte)'B', 0x00, 0x00, 0xff, 0x7f, 1, 2, 3], "huge.pkl"));
        Assert.Contains("huge.pkl: offset", huge.Message);

        // Array data shorter than its shape claims must not produce an array.
        var wrongSize = new PickleObject("numpy.core.multiarray", "_reconstruct", [new PickleGlobal("numpy", "ndarray"), new object?[] { 0L }, "b"u8.ToArray()])
        {
            State = new object?[]
            {
                1L, new object?[] { 4L }, new PickleObject("numpy", "dtype", ["f8", false, true]) { State = new object?[] { 3L, "<", null, null, null, -1L, -1L, 0L } },
                false, new byte[8],
            },
        };
        DataFormatException size = Assert.Throws<DataFormatException>(() => PickleReader.Read(PickleWriter.Write(wrongSize, 2), "short.pkl"));
        Assert.Contains("needs 32 bytes", size.Message);
    }

    // A Python-2 protocol-2 pickle assembled opcode by opcode as Python 2's cPickle writes MANO_RIGHT.pkl:
    // GLOBAL names, SHORT_BINSTRING keys, array data as BINSTRING (py2 str), dtype args as ints,
    // memo reuse via BINGET, a scipy csc_matrix via NEWOBJ + BUILD of its __dict__.
    private static byte[] Python2ManoLikePickle()
    {
        var p = new OpcodeBuilder();
        p.Op(0x80, 2).Op('}').Put(0).Op('(');

        p.Str("v_template");
        p.Global("numpy.core.multiarray", "_reconstruct").Put(1).Global("numpy", "ndarray").Put(2);
        p.Op('K', 0).Op(0x85).Put(3).Str("b").Put(4).Op(0x87).Put(5).Op('R').Put(6);
        p.Op('(').Op('K', 1).Op('K', 2).Op('K', 3).Op(0x86);
        p.Global("numpy", "dtype").Put(7).Str("f8").Op('K', 0).Op('K', 1).Op(0x87).Op('R').Put(8);
        p.Op('(').Op('K', 3).Str("<").Op('N').Op('N').Op('N').Int(-1).Int(-1).Op('K', 0).Op('t').Op('b');
        p.Op(0x89).BinString(Doubles(-1.5, 0.25, 1e-300, -2.0, 3.5, 255.0)).Op('t').Op('b');

        p.Str("kintree_table");
        p.Get(1).Get(2).Get(3).Get(4).Op(0x87).Op('R');
        p.Op('(').Op('K', 1).Op('K', 2).Op('K', 3).Op(0x86);
        p.Get(7).Str("i8").Op('K', 0).Op('K', 1).Op(0x87).Op('R');
        p.Op('(').Op('K', 3).Str("<").Op('N').Op('N').Op('N').Int(-1).Int(-1).Op('K', 0).Op('t').Op('b');
        // Fortran storage of [[4294967295, 0, 1], [0, 1, 2]]: columns (4294967295, 0), (0, 1), (1, 2).
        p.Op(0x88).BinString(Longs(4294967295, 0, 0, 1, 1, 2)).Op('t').Op('b');

        p.Str("J_regressor");
        p.Global("scipy.sparse.csc", "csc_matrix").Op(')').Op(0x81).Op('}').Op('(');
        p.Str("data").Get(1).Get(2).Get(3).Get(4).Op(0x87).Op('R');
        p.Op('(').Op('K', 1).Op('K', 2).Op(0x85).Get(8).Op(0x89).BinString(Doubles(0.5, 0.5)).Op('t').Op('b');
        p.Str("indptr").Get(1).Get(2).Get(3).Get(4).Op(0x87).Op('R');
        p.Op('(').Op('K', 1).Op('K', 3).Op(0x85);
        p.Get(7).Str("i4").Op('K', 0).Op('K', 1).Op(0x87).Op('R');
        p.Op('(').Op('K', 3).Str("<").Op('N').Op('N').Op('N').Int(-1).Int(-1).Op('K', 0).Op('t').Op('b');
        p.Op(0x89).BinString(Ints(0, 1, 2)).Op('t').Op('b');
        p.Str("_shape").Op('K', 2).Op('K', 3).Op(0x86);
        p.Op('u').Op('b');

        p.Str("bs_style").Str("lbs");
        p.Op('u').Op('.');
        return p.ToArray();
    }

    private static byte[] Doubles(params double[] values)
    {
        byte[] bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }

    private static byte[] Longs(params long[] values)
    {
        byte[] bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        return bytes;
    }

    private static byte[] Ints(params int[] values)
    {
        byte[] bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        }

        return bytes;
    }

    private sealed class OpcodeBuilder
    {
        private readonly List<byte> _bytes = [];

        public OpcodeBuilder Op(int opcode, params byte[] args)
        {
            _bytes.Add((byte)opcode);
            _bytes.AddRange(args);
            return this;
        }

        public OpcodeBuilder Str(string text)
        {
            byte[] raw = Encoding.Latin1.GetBytes(text);
            return Op('U', (byte)raw.Length).Raw(raw);
        }

        // BINSTRING (4-byte length) even for short data, as cPickle does for array buffers over 255 bytes.
        public OpcodeBuilder BinString(byte[] raw)
        {
            byte[] length = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, raw.Length);
            return Op('T', length).Raw(raw);
        }

        public OpcodeBuilder Global(string module, string name) => Op('c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

        public OpcodeBuilder Int(int value)
        {
            byte[] bytes = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
            return Op('J', bytes);
        }

        public OpcodeBuilder Put(byte index) => Op('q', index);

        public OpcodeBuilder Get(byte index) => Op('h', index);

        public byte[] ToArray() => [.. _bytes];

        private OpcodeBuilder Raw(byte[] raw)
        {
            _bytes.AddRange(raw);
            return this;
        }
    }
}
