using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace MsMano.ModelFormats.Pickle;

/// <summary>
/// A safe reader for Python pickles (protocols 0-5). It is a pickle virtual machine that never imports
/// or calls anything: GLOBAL names become <see cref="PickleGlobal"/>, and REDUCE / NEWOBJ / BUILD produce
/// <see cref="PickleObject"/> trees. numpy arrays (numpy.core / numpy._core multiarray._reconstruct with
/// its BUILD state, numeric._frombuffer, multiarray.scalar) become <see cref="Numpy.NdArray"/>.
///
/// Value mapping: None → null, bool, int → long (BigInteger when it does not fit), float → double,
/// str and Python-2 str → string (Python-2 byte strings decode as latin-1, like pickle.load(encoding='latin1')),
/// bytes → byte[], list → List&lt;object?&gt;, tuple → object?[], dict → Dictionary&lt;object, object?&gt;
/// (<see cref="PickleKeyComparer"/>), set / frozenset → HashSet&lt;object?&gt;.
///
/// Persistent ids (PERSID / BINPERSID) are refused unless the caller asks for them (<see cref="ReadAt"/>); then they
/// become <see cref="PicklePersistentId"/> for the caller to resolve (torch's legacy format, <see cref="TorchPickle"/>).
/// Not supported (clear error): out-of-band buffers and the extension registry.
/// </summary>
public static class PickleReader
{
    public static object? Read(string path) => Read(File.ReadAllBytes(path), path);

    public static object? Read(byte[] data, string source)
    {
        ArgumentNullException.ThrowIfNull(data);
        var root = new Machine(data, source).Run();
        return NumpyPickleConverter.ConvertTree(root, source);
    }

    /// <summary>One pickle starting at <paramref name="offset"/> (several may follow one another, as in torch's legacy format); <paramref name="end"/> is the byte after its STOP.</summary>
    public static object? ReadAt(byte[] data, string source, int offset, out int end, bool persistentIds)
    {
        ArgumentNullException.ThrowIfNull(data);
        var machine = new Machine(data, source) { Position = offset, PersistentIds = persistentIds };
        var root = machine.Run();
        end = machine.Position;
        return NumpyPickleConverter.ConvertTree(root, source);
    }

    private sealed class Machine(byte[] data, string source)
    {
        public int Position { get => _pos; init => _pos = value; }

        public bool PersistentIds { get; init; }

        private readonly List<object?> _stack = [];
        private readonly Stack<int> _marks = new();
        private readonly Dictionary<long, object?> _memo = [];
        private int _pos;
        private int _opStart;
        private byte _op;

        public object? Run()
        {
            if (data.Length <= _pos)
            {
                throw new DataFormatException(source, "offset 0", "file is empty; not a pickle");
            }

            while (true)
            {
                if (_pos >= data.Length)
                {
                    throw Error("pickle is truncated: reached the end of the data before the STOP opcode");
                }

                _opStart = _pos;
                _op = data[_pos++];
                if (Step())
                {
                    if (_stack.Count != 1)
                    {
                        throw Error($"STOP with {_stack.Count} items on the stack (expected 1)");
                    }

                    return _stack[0];
                }
            }
        }

        // Executes one opcode; returns true at STOP.
        private bool Step()
        {
            switch (_op)
            {
                case 0x80: // PROTO
                    var protocol = ReadByte();
                    if (protocol > 5)
                    {
                        throw Error($"unsupported pickle protocol {protocol} (0-5 are supported)");
                    }

                    break;
                case 0x95: // FRAME: framing is transparent to a reader holding all the bytes
                    ReadBytes(8);
                    break;
                case (byte)'.': // STOP
                    return true;
                case (byte)'(': // MARK
                    _marks.Push(_stack.Count);
                    break;
                case (byte)'0': // POP
                    if (_marks.Count > 0 && _marks.Peek() == _stack.Count)
                    {
                        _marks.Pop();
                    }
                    else
                    {
                        Pop();
                    }

                    break;
                case (byte)'1': // POP_MARK
                    PopMark();
                    break;
                case (byte)'2': // DUP
                    Push(Peek());
                    break;
                case (byte)'N':
                    Push(null);
                    break;
                case 0x88: // NEWTRUE
                    Push(true);
                    break;
                case 0x89: // NEWFALSE
                    Push(false);
                    break;
                case (byte)'J': // BININT
                    Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4)));
                    break;
                case (byte)'K': // BININT1
                    Push((long)ReadByte());
                    break;
                case (byte)'M': // BININT2
                    Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2)));
                    break;
                case 0x8a: // LONG1
                    Push(ReadLong(ReadByte()));
                    break;
                case 0x8b: // LONG4
                    Push(ReadLong(ReadLength4()));
                    break;
                case (byte)'I': // INT (text); "01"/"00" are protocol-0 booleans
                    Push(ParseTextInt(ReadLine()));
                    break;
                case (byte)'L': // LONG (text)
                    Push(ParseBigInteger(ReadLine().TrimEnd('L')));
                    break;
                case (byte)'G': // BINFLOAT, big-endian
                    Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8)));
                    break;
                case (byte)'F': // FLOAT (text)
                    var floatText = ReadLine();
                    if (!double.TryParse(floatText, NumberStyles.Float, CultureInfo.InvariantCulture, out var f))
                    {
                        throw Error($"FLOAT value '{floatText}' is not a number");
                    }

                    Push(f);
                    break;
                case (byte)'U': // SHORT_BINSTRING (Python 2 str)
                    Push(Encoding.Latin1.GetString(ReadBytes(ReadByte())));
                    break;
                case (byte)'T': // BINSTRING (Python 2 str)
                    Push(Encoding.Latin1.GetString(ReadBytes(ReadLength4())));
                    break;
                case (byte)'S': // STRING (text, quoted repr)
                    Push(Encoding.Latin1.GetString(DecodeQuoted(ReadLine())));
                    break;
                case 0x8c: // SHORT_BINUNICODE
                    Push(DecodeUtf8(ReadBytes(ReadByte())));
                    break;
                case (byte)'X': // BINUNICODE
                    Push(DecodeUtf8(ReadBytes(ReadLength4())));
                    break;
                case 0x8d: // BINUNICODE8
                    Push(DecodeUtf8(ReadBytes(ReadLength8())));
                    break;
                case (byte)'V': // UNICODE (raw-unicode-escape text)
                    Push(DecodeRawUnicodeEscape(ReadLine()));
                    break;
                case (byte)'C': // SHORT_BINBYTES
                    Push(ReadBytes(ReadByte()).ToArray());
                    break;
                case (byte)'B': // BINBYTES
                    Push(ReadBytes(ReadLength4()).ToArray());
                    break;
                case 0x8e: // BINBYTES8
                case 0x96: // BYTEARRAY8
                    Push(ReadBytes(ReadLength8()).ToArray());
                    break;
                case 0x98: // READONLY_BUFFER: no effect on an in-band byte string
                    Peek();
                    break;
                case 0x97: // NEXT_BUFFER
                    throw Error("out-of-band buffers (NEXT_BUFFER) are not supported");
                case (byte)'}': // EMPTY_DICT
                    Push(new Dictionary<object, object?>(PickleKeyComparer.Instance));
                    break;
                case (byte)']': // EMPTY_LIST
                    Push(new List<object?>());
                    break;
                case (byte)')': // EMPTY_TUPLE
                    Push(Array.Empty<object?>());
                    break;
                case 0x8f: // EMPTY_SET
                    Push(new HashSet<object?>());
                    break;
                case (byte)'d': // DICT
                    var dictItems = PopMark();
                    var dict = new Dictionary<object, object?>(PickleKeyComparer.Instance);
                    SetItems(dict, dictItems);
                    Push(dict);
                    break;
                case (byte)'l': // LIST
                    Push(new List<object?>(PopMark()));
                    break;
                case (byte)'t': // TUPLE
                    Push(PopMark().ToArray());
                    break;
                case 0x91: // FROZENSET
                    Push(new HashSet<object?>(PopMark()));
                    break;
                case 0x85: // TUPLE1
                    Push(new[] { Pop() });
                    break;
                case 0x86: // TUPLE2
                    var b2 = Pop();
                    var a2 = Pop();
                    Push(new[] { a2, b2 });
                    break;
                case 0x87: // TUPLE3
                    var c3 = Pop();
                    var b3 = Pop();
                    var a3 = Pop();
                    Push(new[] { a3, b3, c3 });
                    break;
                case (byte)'a': // APPEND
                    var item = Pop();
                    Append(Peek(), [item]);
                    break;
                case (byte)'e': // APPENDS
                    var items = PopMark();
                    Append(Peek(), items);
                    break;
                case 0x90: // ADDITEMS
                    var setItems = PopMark();
                    if (Peek() is not HashSet<object?> set)
                    {
                        throw Error($"ADDITEMS target is {Describe(Peek())}, not a set");
                    }

                    set.UnionWith(setItems);
                    break;
                case (byte)'s': // SETITEM
                    var value = Pop();
                    var key = Pop();
                    SetItems(Peek(), [key, value]);
                    break;
                case (byte)'u': // SETITEMS
                    var pairs = PopMark();
                    SetItems(Peek(), pairs);
                    break;
                case (byte)'c': // GLOBAL
                    var module = ReadLine();
                    var name = ReadLine();
                    Push(new PickleGlobal(module, name));
                    break;
                case 0x93: // STACK_GLOBAL
                    var globalName = Pop();
                    var globalModule = Pop();
                    if (globalModule is not string m || globalName is not string n)
                    {
                        throw Error($"STACK_GLOBAL needs two strings, got {Describe(globalModule)} and {Describe(globalName)}");
                    }

                    Push(new PickleGlobal(m, n));
                    break;
                case (byte)'R': // REDUCE
                    var reduceArgs = Pop();
                    var callable = Pop();
                    Push(Construct(callable, AsTuple(reduceArgs, "REDUCE arguments")));
                    break;
                case 0x81: // NEWOBJ
                    var newArgs = Pop();
                    var cls = Pop();
                    Push(Construct(cls, AsTuple(newArgs, "NEWOBJ arguments")));
                    break;
                case 0x92: // NEWOBJ_EX
                    var kwargs = Pop();
                    var exArgs = Pop();
                    var exCls = Pop();
                    var obj = Construct(exCls, AsTuple(exArgs, "NEWOBJ_EX arguments"));
                    if (obj is PickleObject po && kwargs is Dictionary<object, object?> kw && kw.Count > 0)
                    {
                        po.DictItems["__kwargs__"] = kw;
                    }

                    Push(obj);
                    break;
                case (byte)'i': // INST
                    var instModule = ReadLine();
                    var instName = ReadLine();
                    Push(Construct(new PickleGlobal(instModule, instName), PopMark().ToArray()));
                    break;
                case (byte)'o': // OBJ
                    var objItems = PopMark();
                    if (objItems.Count == 0)
                    {
                        throw Error("OBJ with an empty mark (no class)");
                    }

                    Push(Construct(objItems[0], objItems.Skip(1).ToArray()));
                    break;
                case (byte)'b': // BUILD
                    var state = Pop();
                    if (Peek() is not PickleObject target)
                    {
                        throw Error($"BUILD target is {Describe(Peek())}, which has no state to set");
                    }

                    target.State = state;
                    break;
                case (byte)'q': // BINPUT
                    _memo[ReadByte()] = Peek();
                    break;
                case (byte)'r': // LONG_BINPUT
                    _memo[ReadLength4()] = Peek();
                    break;
                case (byte)'p': // PUT
                    _memo[ParseMemoIndex(ReadLine())] = Peek();
                    break;
                case 0x94: // MEMOIZE
                    _memo[_memo.Count] = Peek();
                    break;
                case (byte)'h': // BINGET
                    Push(GetMemo(ReadByte()));
                    break;
                case (byte)'j': // LONG_BINGET
                    Push(GetMemo(ReadLength4()));
                    break;
                case (byte)'g': // GET
                    Push(GetMemo(ParseMemoIndex(ReadLine())));
                    break;
                case (byte)'P' when PersistentIds: // PERSID
                    Push(new PicklePersistentId(ReadLine()));
                    break;
                case (byte)'Q' when PersistentIds: // BINPERSID
                    Push(new PicklePersistentId(Pop()));
                    break;
                case (byte)'P':
                case (byte)'Q':
                    throw Error("persistent ids (PERSID/BINPERSID) are not supported; torch.save files such as OakInk general_info cannot be read, use the numpy annotations");
                case 0x82:
                case 0x83:
                case 0x84:
                    throw Error("the copyreg extension registry (EXT1/2/4) is not supported");
                default:
                    throw Error($"unknown opcode 0x{_op:x2}; the data are not a pickle or are corrupt");
            }

            return false;
        }

        // Builds the data-only stand-in for calling a class or function. Only a few pure-data constructors
        // are interpreted (set, frozenset, _codecs.encode for Python-2-compatible bytes, copy_reg._reconstructor).
        private object? Construct(object? callable, object?[] args)
        {
            if (callable is not PickleGlobal global)
            {
                throw Error($"cannot construct from {Describe(callable)}; expected a class or function name");
            }

            switch (global.Module, global.Name)
            {
                case ("__builtin__" or "builtins", "set" or "frozenset"):
                    return args.Length == 0 ? new HashSet<object?>() : new HashSet<object?>(AsSequence(args[0], global.FullName));
                case ("__builtin__" or "builtins", "bytearray" or "bytes") when args.Length == 0:
                    return Array.Empty<byte>();
                case ("__builtin__" or "builtins", "bytearray" or "bytes") when args is [string s, string enc]:
                    return EncodeText(s, enc, global.FullName);
                case ("__builtin__" or "builtins", "bytearray" or "bytes") when args is [byte[] raw]:
                    return raw;
                case ("_codecs", "encode") when args is [string s, string enc]:
                    return EncodeText(s, enc, global.FullName);
                case ("copy_reg" or "copyreg", "_reconstructor") when args is [PickleGlobal type, ..]:
                    return new PickleObject(type.Module, type.Name, args.Skip(1).ToArray());
                default:
                    return new PickleObject(global.Module, global.Name, args);
            }
        }

        private byte[] EncodeText(string text, string encoding, string what)
        {
            var normalized = encoding.Replace("-", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
            return normalized switch
            {
                "latin1" or "iso88591" => Encoding.Latin1.GetBytes(text),
                "utf8" => Encoding.UTF8.GetBytes(text),
                "ascii" => Encoding.ASCII.GetBytes(text),
                _ => throw Error($"{what} with unsupported encoding '{encoding}'"),
            };
        }

        private IEnumerable<object?> AsSequence(object? value, string what) => value switch
        {
            List<object?> list => list,
            object?[] tuple => tuple,
            HashSet<object?> set => set,
            _ => throw Error($"{what} argument is {Describe(value)}, not a sequence"),
        };

        private object?[] AsTuple(object? value, string what) =>
            value as object?[] ?? throw Error($"{what} are {Describe(value)}, not a tuple");

        private void Append(object? target, IReadOnlyList<object?> items)
        {
            switch (target)
            {
                case List<object?> list:
                    list.AddRange(items);
                    break;
                case PickleObject obj:
                    obj.ListItems.AddRange(items);
                    break;
                default:
                    throw Error($"APPEND target is {Describe(target)}, not a list");
            }
        }

        private void SetItems(object? target, IReadOnlyList<object?> keysAndValues)
        {
            if (keysAndValues.Count % 2 != 0)
            {
                throw Error($"SETITEMS with an odd number ({keysAndValues.Count}) of keys and values");
            }

            var dict = target switch
            {
                Dictionary<object, object?> d => d,
                PickleObject obj => obj.DictItems,
                _ => throw Error($"SETITEM target is {Describe(target)}, not a dict"),
            };
            for (var i = 0; i < keysAndValues.Count; i += 2)
            {
                dict[keysAndValues[i] ?? throw Error("dict key None is not supported")] = keysAndValues[i + 1];
            }
        }

        private object? GetMemo(long index) =>
            _memo.TryGetValue(index, out var value) ? value : throw Error($"memo index {index} was never stored");

        private void Push(object? value) => _stack.Add(value);

        private object? Peek()
        {
            if (_stack.Count == 0 || (_marks.Count > 0 && _marks.Peek() >= _stack.Count))
            {
                throw Error("stack underflow");
            }

            return _stack[^1];
        }

        private object? Pop()
        {
            var value = Peek();
            _stack.RemoveAt(_stack.Count - 1);
            return value;
        }

        private List<object?> PopMark()
        {
            if (_marks.Count == 0)
            {
                throw Error("no MARK on the stack");
            }

            var start = _marks.Pop();
            var items = _stack.GetRange(start, _stack.Count - start);
            _stack.RemoveRange(start, _stack.Count - start);
            return items;
        }

        private byte ReadByte() => ReadBytes(1)[0];

        private int ReadLength4()
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4));
            return length >= 0 ? length : throw Error($"negative length {length}");
        }

        private int ReadLength8()
        {
            var length = BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8));
            return length is >= 0 and <= int.MaxValue ? (int)length : throw Error($"length {length} is out of range");
        }

        private ReadOnlySpan<byte> ReadBytes(int count)
        {
            if (count > data.Length - _pos)
            {
                throw Error($"pickle is truncated: needed {count} bytes at offset {_pos}, only {data.Length - _pos} remain");
            }

            var span = data.AsSpan(_pos, count);
            _pos += count;
            return span;
        }

        private string ReadLine()
        {
            var end = Array.IndexOf(data, (byte)'\n', _pos);
            if (end < 0)
            {
                throw Error($"pickle is truncated: unterminated text argument at offset {_pos}");
            }

            var line = Encoding.Latin1.GetString(data, _pos, end - _pos);
            _pos = end + 1;
            return line.TrimEnd('\r');
        }

        private object ReadLong(int byteCount)
        {
            var bytes = ReadBytes(byteCount);
            if (byteCount <= 8)
            {
                long value = 0;
                for (var i = byteCount - 1; i >= 0; i--)
                {
                    value = (value << 8) | bytes[i];
                }

                // Sign-extend from the top byte (two's complement, little-endian).
                if (byteCount is > 0 and < 8 && (bytes[byteCount - 1] & 0x80) != 0)
                {
                    value -= 1L << (8 * byteCount);
                }

                return value;
            }

            var big = new BigInteger(bytes, isUnsigned: false, isBigEndian: false);
            return big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big;
        }

        private object ParseTextInt(string text)
        {
            if (text == "01")
            {
                return true;
            }

            if (text == "00")
            {
                return false;
            }

            return ParseBigInteger(text);
        }

        private object ParseBigInteger(string text)
        {
            if (!BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
            {
                throw Error($"integer literal '{text}' is not a number");
            }

            return big >= long.MinValue && big <= long.MaxValue ? (object)(long)big : big;
        }

        private long ParseMemoIndex(string text) =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : throw Error($"memo index '{text}' is not a number");

        private string DecodeUtf8(ReadOnlySpan<byte> bytes)
        {
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException e)
            {
                throw Error($"string is not valid UTF-8 ({e.Message})");
            }
        }

        // Decodes a Python 2 string repr: 'abc' or "abc" with backslash escapes.
        private byte[] DecodeQuoted(string literal)
        {
            if (literal.Length < 2 || literal[0] != literal[^1] || literal[0] is not ('\'' or '"'))
            {
                throw Error($"STRING argument {literal} is not a quoted literal");
            }

            var body = literal[1..^1];
            var bytes = new List<byte>(body.Length);
            for (var i = 0; i < body.Length; i++)
            {
                var c = body[i];
                if (c != '\\' || i + 1 >= body.Length)
                {
                    bytes.Add((byte)c);
                    continue;
                }

                var e = body[++i];
                switch (e)
                {
                    case 'n': bytes.Add((byte)'\n'); break;
                    case 'r': bytes.Add((byte)'\r'); break;
                    case 't': bytes.Add((byte)'\t'); break;
                    case 'a': bytes.Add(7); break;
                    case 'b': bytes.Add(8); break;
                    case 'f': bytes.Add(12); break;
                    case 'v': bytes.Add(11); break;
                    case 'x' when i + 2 < body.Length:
                        bytes.Add(byte.Parse(body.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        i += 2;
                        break;
                    case >= '0' and <= '7':
                        var octal = 0;
                        var digits = 0;
                        while (digits < 3 && i < body.Length && body[i] is >= '0' and <= '7')
                        {
                            octal = (octal * 8) + (body[i] - '0');
                            i++;
                            digits++;
                        }

                        i--;
                        bytes.Add((byte)octal);
                        break;
                    default: bytes.Add((byte)e); break;
                }
            }

            return bytes.ToArray();
        }

        private static string DecodeRawUnicodeEscape(string text)
        {
            var result = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length; i++)
            {
                if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is 'u' or 'U')
                {
                    var width = text[i + 1] == 'u' ? 4 : 8;
                    if (i + 2 + width <= text.Length &&
                        int.TryParse(text.AsSpan(i + 2, width), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                    {
                        result.Append(char.ConvertFromUtf32(code));
                        i += 1 + width;
                        continue;
                    }
                }

                result.Append(text[i]);
            }

            return result.ToString();
        }

        private DataFormatException Error(string problem) =>
            new(source, $"offset {_opStart} (opcode 0x{_op:x2})", problem);

        internal static string Describe(object? value) => value switch
        {
            null => "None",
            string s => $"str '{(s.Length > 40 ? s[..40] + "…" : s)}'",
            _ => value.GetType().Name,
        };
    }
}
