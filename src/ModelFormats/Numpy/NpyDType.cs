namespace MsMano.ModelFormats.Numpy;

/// <summary>The kind of a numpy dtype.</summary>
public enum NpyKind
{
    Bool,
    SignedInt,
    UnsignedInt,
    Float,
}

/// <summary>
/// A numpy scalar type (kind and item size). Byte order is a property of a file, not of an
/// <see cref="NdArray"/>: arrays always hold little-endian data after reading.
/// </summary>
public readonly record struct NpyDType(NpyKind Kind, int ItemSize)
{
    public static readonly NpyDType Bool = new(NpyKind.Bool, 1);
    public static readonly NpyDType UInt8 = new(NpyKind.UnsignedInt, 1);
    public static readonly NpyDType UInt16 = new(NpyKind.UnsignedInt, 2);
    public static readonly NpyDType UInt32 = new(NpyKind.UnsignedInt, 4);
    public static readonly NpyDType UInt64 = new(NpyKind.UnsignedInt, 8);
    public static readonly NpyDType Int8 = new(NpyKind.SignedInt, 1);
    public static readonly NpyDType Int16 = new(NpyKind.SignedInt, 2);
    public static readonly NpyDType Int32 = new(NpyKind.SignedInt, 4);
    public static readonly NpyDType Int64 = new(NpyKind.SignedInt, 8);
    public static readonly NpyDType Float32 = new(NpyKind.Float, 4);
    public static readonly NpyDType Float64 = new(NpyKind.Float, 8);

    /// <summary>The numpy type string of this type in little-endian order, e.g. "&lt;f4" or "|u1".</summary>
    public string Descr => ItemSize == 1 ? $"|{KindChar}{ItemSize}" : $"<{KindChar}{ItemSize}";

    private char KindChar => Kind switch
    {
        NpyKind.Bool => 'b',
        NpyKind.SignedInt => 'i',
        NpyKind.UnsignedInt => 'u',
        _ => 'f',
    };

    /// <summary>
    /// Parses a numpy type string such as "&lt;f4", "&gt;i8", "|b1", "=u2" or a bare "f8".
    /// Returns false for anything this reader does not support (structured, string, complex, half types).
    /// </summary>
    public static bool TryParse(string descr, out NpyDType dtype, out bool bigEndian)
    {
        dtype = default;
        bigEndian = false;
        if (string.IsNullOrEmpty(descr))
        {
            return false;
        }

        string body = descr;
        char order = descr[0];
        if (order is '<' or '>' or '|' or '=')
        {
            bigEndian = order == '>';
            body = descr[1..];
        }

        if (body.Length < 2 || !int.TryParse(body.AsSpan(1), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out int size))
        {
            return false;
        }

        NpyKind? kind = body[0] switch
        {
            'b' when size == 1 => NpyKind.Bool,
            'i' when size is 1 or 2 or 4 or 8 => NpyKind.SignedInt,
            'u' when size is 1 or 2 or 4 or 8 => NpyKind.UnsignedInt,
            'f' when size is 4 or 8 => NpyKind.Float,
            _ => null,
        };
        if (kind is null)
        {
            return false;
        }

        dtype = new NpyDType(kind.Value, size);
        bigEndian &= size > 1;
        return true;
    }

    public override string ToString() => Descr;
}
