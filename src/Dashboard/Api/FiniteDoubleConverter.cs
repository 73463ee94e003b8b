using System.Text.Json;
using System.Text.Json.Serialization;

namespace MsMano.Dashboard.Api;

/// <summary>Writes a non-finite double as null: JSON has no NaN, and a page must not choke on one bad sample.</summary>
public sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        return reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
