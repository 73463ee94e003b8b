namespace MsMano.Contracts.Messaging;

/// <summary>Small guards shared by the messages' Validate methods so every failure reads the same way.</summary>
internal static class Require
{
    public static void NotEmpty(string type, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ContractValidationException(type, field, value, "must be a non-empty string");
        }
    }

    public static void InRange(string type, string field, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            throw new ContractValidationException(type, field, value, $"must lie in [{min}, {max}]");
        }
    }

    public static void Finite(string type, string field, double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ContractValidationException(type, field, value, "must be a finite number");
        }
    }

    public static void NotNull(string type, string field, object? value)
    {
        if (value is null)
        {
            throw new ContractValidationException(type, field, null, "is required");
        }
    }

    /// <summary>Checks a blob against its declared element count; the product is computed in 64 bits so a hostile
    /// header cannot overflow it into a matching length.</summary>
    public static void BlobLength(string type, string field, byte[]? blob, long elements, int bytesPerElement)
    {
        NotNull(type, field, blob);
        long expected = elements * bytesPerElement;
        if (blob!.LongLength != expected)
        {
            throw new ContractValidationException(
                type, field + ".Length", blob.LongLength, $"must equal {elements} elements x {bytesPerElement} bytes = {expected}");
        }
    }
}
