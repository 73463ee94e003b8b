using System.Text.Json;
using MsMano.ModelFormats;

namespace MsMano.Evaluation.Datasets;

/// <summary>Typed access to JSON fields with errors that name the file, the field path and the value.</summary>
internal static class JsonFields
{
    public static JsonDocument Parse(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        try
        {
            return JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            string? literal = NonFiniteLiteral(bytes, e.LineNumber, e.BytePositionInLine);
            throw new DataFormatException(path, $"line {e.LineNumber + 1}, byte {e.BytePositionInLine}", literal is null
                ? $"invalid JSON ({e.Message})"
                : $"invalid JSON: {literal} is not a finite number (JSON has no NaN or Infinity; Python's json.dump writes them for non-finite floats) ({e.Message})", e);
        }
    }

    // Python writes NaN / Infinity / -Infinity for non-finite floats; naming the value beats a bare syntax error.
    private static string? NonFiniteLiteral(byte[] bytes, long? line, long? column)
    {
        if (line is null || column is null)
        {
            return null;
        }

        int offset = 0;
        for (long l = 0; l < line && offset < bytes.Length; offset++)
        {
            if (bytes[offset] == (byte)'\n')
            {
                l++;
            }
        }

        int start = offset + (int)column.Value;
        foreach (string literal in new[] { "NaN", "Infinity", "-Infinity" })
        {
            if (start >= 0 && start + literal.Length <= bytes.Length && System.Text.Encoding.ASCII.GetString(bytes, start, literal.Length) == literal)
            {
                return literal;
            }
        }

        return null;
    }

    public static JsonElement Require(JsonElement obj, string key, string path, string field)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw new DataFormatException(path, field, $"expected an object, found {obj.ValueKind}");
        }

        return obj.TryGetProperty(key, out JsonElement value) ? value : throw new DataFormatException(path, $"{field}.{key}".TrimStart('.'), "key is missing");
    }

    public static JsonElement? Optional(JsonElement obj, string key) =>
        obj.TryGetProperty(key, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string String(JsonElement element, string path, string field) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new DataFormatException(path, field, $"{element.GetRawText()} is not a string");

    public static double Number(JsonElement element, string path, string field)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out double value) || !double.IsFinite(value))
        {
            throw new DataFormatException(path, field, $"{Short(element)} is not a finite number");
        }

        return value;
    }

    public static int Int(JsonElement element, string path, string field) =>
        element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int value)
            ? value
            : throw new DataFormatException(path, field, $"{Short(element)} is not an integer");

    public static bool Bool(JsonElement element, string path, string field) => element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new DataFormatException(path, field, $"{Short(element)} is not true/false"),
    };

    /// <summary>A list of exactly <paramref name="length"/> finite numbers (any length when negative).</summary>
    public static float[] Floats(JsonElement element, int length, string path, string field) =>
        Array.ConvertAll(Doubles(element, length, path, field), v => (float)v);

    public static double[] Doubles(JsonElement element, int length, string path, string field)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new DataFormatException(path, field, $"expected a list of numbers, found {Short(element)}");
        }

        int count = element.GetArrayLength();
        if (length >= 0 && count != length)
        {
            throw new DataFormatException(path, field, $"has {count} numbers, expected {length}");
        }

        double[] result = new double[count];
        int i = 0;
        foreach (JsonElement item in element.EnumerateArray())
        {
            result[i] = Number(item, path, $"{field}[{i}]");
            i++;
        }

        return result;
    }

    /// <summary>A list of rows, each a list of <paramref name="rowLength"/> numbers, flattened.</summary>
    public static double[] Rows(JsonElement element, int rowLength, string path, string field, out int rows)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new DataFormatException(path, field, $"expected a list of rows, found {Short(element)}");
        }

        rows = element.GetArrayLength();
        double[] result = new double[rows * rowLength];
        int r = 0;
        foreach (JsonElement row in element.EnumerateArray())
        {
            Doubles(row, rowLength, path, $"{field}[{r}]").CopyTo(result, r * rowLength);
            r++;
        }

        return result;
    }

    private static string Short(JsonElement element)
    {
        string text = element.GetRawText();
        return text.Length > 40 ? text[..40] + "…" : text;
    }
}
