namespace MsMano.Contracts.Messaging;

/// <summary>A message field holds a value its contract forbids; the message names the field and the value.</summary>
public sealed class ContractValidationException : Exception
{
    public ContractValidationException(string messageType, string field, object? value, string rule)
        : base($"{messageType}.{field} = {Describe(value)} is invalid: {rule}.")
    {
        MessageType = messageType;
        Field = field;
    }

    public string MessageType { get; }

    public string Field { get; }

    private static string Describe(object? value)
    {
        return value switch
        {
            null => "null",
            string s => $"'{s}'",
            _ => value.ToString() ?? "?",
        };
    }
}
