using System.Globalization;
using System.Text;

namespace MsMano.ModelFormats.Numpy;

/// <summary>
/// The header of a .npy file (numpy.lib.format): magic "\x93NUMPY", version, header length, and a
/// Python dict literal {'descr': ..., 'fortran_order': ..., 'shape': (...)}.
/// </summary>
public sealed record NpyHeader(NpyDType DType, bool BigEndian, bool FortranOrder, int[] Shape, int Major, int Minor)
{
    public static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the header from <paramref name="stream"/> and leaves the stream at the first data byte.</summary>
    public static NpyHeader Read(Stream stream, string source)
    {
        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(stream, prefix, source, "magic");
        if (!prefix[..6].SequenceEqual(Magic))
        {
            throw new DataFormatException(source, "magic",
                $"expected \\x93NUMPY at offset 0, found bytes {Convert.ToHexString(prefix[..6])}; not a .npy file");
        }

        int major = prefix[6];
        int minor = prefix[7];
        long headerLength;
        switch (major)
        {
            case 1:
                Span<byte> len2 = stackalloc byte[2];
                ReadExactly(stream, len2, source, "header length");
                headerLength = len2[0] | (len2[1] << 8);
                break;
            case 2:
            case 3:
                Span<byte> len4 = stackalloc byte[4];
                ReadExactly(stream, len4, source, "header length");
                headerLength = BitConverter.ToUInt32(len4);
                break;
            default:
                throw new DataFormatException(source, "version", $"unsupported .npy format version {major}.{minor} (1.0, 2.0 and 3.0 are supported)");
        }

        if (headerLength > 1 << 20)
        {
            throw new DataFormatException(source, "header length", $"{headerLength} bytes is implausibly large");
        }

        byte[] headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, source, "header");
        // Versions 1 and 2 use latin-1, version 3 UTF-8; only ASCII matters for the fields we read.
        string text = major == 3 ? Encoding.UTF8.GetString(headerBytes) : Encoding.Latin1.GetString(headerBytes);
        return Parse(text, source, major, minor);
    }

    /// <summary>Serialises the header for a little-endian C-order array, padded so data start on a 64-byte boundary.</summary>
    public static byte[] Write(NpyDType dtype, IReadOnlyList<int> shape, int major = 1)
    {
        string shapeText = shape.Count == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        string dict = $"{{'descr': '{dtype.Descr}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int lengthBytes = major == 1 ? 2 : 4;
        int preamble = Magic.Length + 2 + lengthBytes;
        int total = preamble + dict.Length + 1;
        int padded = (total + 63) / 64 * 64;
        string header = dict + new string(' ', padded - total) + "\n";
        byte[] result = new byte[preamble + header.Length];
        Magic.CopyTo(result);
        result[6] = (byte)major;
        result[7] = 0;
        if (major == 1)
        {
            result[8] = (byte)(header.Length & 0xff);
            result[9] = (byte)(header.Length >> 8);
        }
        else
        {
            BitConverter.TryWriteBytes(result.AsSpan(8, 4), (uint)header.Length);
        }

        Encoding.ASCII.GetBytes(header, result.AsSpan(preamble));
        return result;
    }

    private static NpyHeader Parse(string text, string source, int major, int minor)
    {
        var parser = new PyLiteralParser(text, source);
        Dictionary<string, object> dict = parser.ParseDict();
        if (!dict.TryGetValue("descr", out object? descrObj) || descrObj is not string descr)
        {
            throw new DataFormatException(source, "header 'descr'",
                descrObj is null ? "missing" : $"unsupported value {descrObj} (structured dtypes are not supported); header: {text.Trim()}");
        }

        if (!NpyDType.TryParse(descr, out NpyDType dtype, out bool bigEndian))
        {
            throw new DataFormatException(source, "header 'descr'",
                $"unsupported dtype '{descr}' (supported: b1, i1/2/4/8, u1/2/4/8, f4, f8 in either byte order)");
        }

        if (!dict.TryGetValue("fortran_order", out object? fortranObj) || fortranObj is not bool fortran)
        {
            throw new DataFormatException(source, "header 'fortran_order'", $"missing or not a bool: {fortranObj ?? "<missing>"}");
        }

        if (!dict.TryGetValue("shape", out object? shapeObj) || shapeObj is not List<long> shapeList)
        {
            throw new DataFormatException(source, "header 'shape'", $"missing or not a tuple of ints: {shapeObj ?? "<missing>"}");
        }

        int[] shape = new int[shapeList.Count];
        for (int i = 0; i < shape.Length; i++)
        {
            if (shapeList[i] is < 0 or > int.MaxValue)
            {
                throw new DataFormatException(source, "header 'shape'", $"dimension {i} is {shapeList[i]}");
            }

            shape[i] = (int)shapeList[i];
        }

        return new NpyHeader(dtype, bigEndian, fortran, shape, major, minor);
    }

    internal static void ReadExactly(Stream stream, Span<byte> buffer, string source, string field)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = stream.Read(buffer[read..]);
            if (n == 0)
            {
                throw new DataFormatException(source, field, $"file is truncated: needed {buffer.Length} bytes, got {read}");
            }

            read += n;
        }
    }

    // The tiny subset of Python literal syntax that numpy writes into headers: a dict of string keys whose
    // values are strings, True/False, or tuples of ints.
    private sealed class PyLiteralParser(string text, string source)
    {
        private int _pos;

        public Dictionary<string, object> ParseDict()
        {
            Expect('{');
            var result = new Dictionary<string, object>(StringComparer.Ordinal);
            while (true)
            {
                SkipSpace();
                if (Peek() == '}')
                {
                    _pos++;
                    return result;
                }

                string key = ParseString();
                Expect(':');
                result[key] = ParseValue();
                SkipSpace();
                if (Peek() == ',')
                {
                    _pos++;
                }
            }
        }

        private object ParseValue()
        {
            SkipSpace();
            char c = Peek();
            if (c is '\'' or '"')
            {
                return ParseString();
            }

            if (c == '(')
            {
                return ParseTuple();
            }

            if (c == '[')
            {
                throw Error("structured dtypes (list descr) are not supported");
            }

            if (Match("True"))
            {
                return true;
            }

            if (Match("False"))
            {
                return false;
            }

            throw Error($"unexpected character '{c}'");
        }

        private List<long> ParseTuple()
        {
            Expect('(');
            var values = new List<long>();
            while (true)
            {
                SkipSpace();
                if (Peek() == ')')
                {
                    _pos++;
                    return values;
                }

                int start = _pos;
                while (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] == 'L'))
                {
                    _pos++;
                }

                string digits = text[start.._pos].TrimEnd('L');
                if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                {
                    throw Error($"expected an integer in the shape tuple, found '{text[start..Math.Min(text.Length, start + 10)]}'");
                }

                values.Add(value);
                SkipSpace();
                if (Peek() == ',')
                {
                    _pos++;
                }
            }
        }

        private string ParseString()
        {
            SkipSpace();
            char quote = Peek();
            if (quote is not ('\'' or '"'))
            {
                throw Error($"expected a quoted string, found '{quote}'");
            }

            int end = text.IndexOf(quote, _pos + 1);
            if (end < 0)
            {
                throw Error("unterminated string");
            }

            string value = text[(_pos + 1)..end];
            _pos = end + 1;
            return value;
        }

        private bool Match(string word)
        {
            if (string.CompareOrdinal(text, _pos, word, 0, word.Length) == 0)
            {
                _pos += word.Length;
                return true;
            }

            return false;
        }

        private void Expect(char c)
        {
            SkipSpace();
            if (Peek() != c)
            {
                throw Error($"expected '{c}', found '{Peek()}'");
            }

            _pos++;
        }

        private char Peek() => _pos < text.Length ? text[_pos] : '\0';

        private void SkipSpace()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos]))
            {
                _pos++;
            }
        }

        private DataFormatException Error(string problem) =>
            new(source, $"header at character {_pos}", $"{problem}; header: {text.Trim()}");
    }
}
