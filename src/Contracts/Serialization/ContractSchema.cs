namespace MsMano.Contracts.Serialization;

/// <summary>
/// The wire schema's version. It rides in every manifest ("RC1" = RolloutChunk, schema 1), so a node built from
/// another schema fails with a clear SerializationException instead of misreading fields. Bump it whenever a key
/// changes meaning or type; adding a trailing key that older readers can ignore does not need a bump.
/// </summary>
public static class ContractSchema
{
    public const int Version = 1;
}
