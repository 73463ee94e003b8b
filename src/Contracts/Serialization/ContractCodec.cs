using System.Collections.Frozen;
using System.Runtime.Serialization;
using MessagePack;
using MsMano.Contracts.DataParallel;
using MsMano.Contracts.Evaluation;
using MsMano.Contracts.Messaging;
using MsMano.Contracts.Nodes;
using MsMano.Contracts.Policy;
using MsMano.Contracts.Rollouts;
using MsMano.Contracts.Training;

namespace MsMano.Contracts.Serialization;

/// <summary>
/// The MessagePack codec behind <see cref="ContractSerializer"/>, free of Akka so it can be measured and tested on
/// its own. Every failure surfaces as <see cref="SerializationException"/>: Akka.Remote treats that as transient
/// (logs, drops the message, keeps the association) where any other exception would tear the connection down.
/// </summary>
public sealed class ContractCodec
{
    /// <summary>Default cap on one payload (1 MiB): every contract is designed to stay under ~128 KB.</summary>
    public const int DefaultMaxPayloadBytes = 1024 * 1024;

    // UntrustedData: hash-collision-resistant maps and a bounded object graph depth (the bytes come off the network).
    private static readonly MessagePackSerializerOptions s_options =
        MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);

    private static readonly ContractEntry[] s_entries =
    [
        ContractEntry.For<RolloutChunk>("RC"),
        ContractEntry.For<RolloutAck>("RA"),
        ContractEntry.For<PolicyWeightsChunk>("PW"),
        ContractEntry.For<NodeRegistration>("NR"),
        ContractEntry.For<NodeStatus>("NS"),
        ContractEntry.For<TrainingStatus>("TS"),
        ContractEntry.For<EvaluationReport>("ER"),
        ContractEntry.For<RequestEvaluation>("RE"),
        ContractEntry.For<TrainerHello>("DH"),
        ContractEntry.For<RoundStart>("DR"),
        ContractEntry.For<StopCollecting>("DS"),
        ContractEntry.For<ShardReady>("DY"),
        ContractEntry.For<ReducePlan>("DP"),
        ContractEntry.For<ReduceChunk>("DC"),
        ContractEntry.For<UpdateDone>("DU"),
        ContractEntry.For<UpdateAborted>("DA"),
        ContractEntry.For<SendState>("DT"),
        ContractEntry.For<StateChunk>("DX"),
    ];

    private static readonly FrozenDictionary<Type, ContractEntry> s_byType = s_entries.ToFrozenDictionary(e => e.Type);
    private static readonly FrozenDictionary<string, ContractEntry> s_byManifest = s_entries.ToFrozenDictionary(e => e.Manifest, StringComparer.Ordinal);

    public ContractCodec(int maxPayloadBytes = DefaultMaxPayloadBytes)
    {
        if (maxPayloadBytes < 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPayloadBytes), maxPayloadBytes, "maxPayloadBytes must be >= 1024");
        }
        MaxPayloadBytes = maxPayloadBytes;
    }

    public int MaxPayloadBytes { get; }

    /// <summary>Every contract type with its manifest, for tests and documentation.</summary>
    public static IReadOnlyDictionary<Type, string> Manifests { get; } = s_entries.ToFrozenDictionary(e => e.Type, e => e.Manifest);

    public string Manifest(object message)
    {
        return EntryFor(message).Manifest;
    }

    /// <summary>Validates, then serializes; refuses payloads above <see cref="MaxPayloadBytes"/>.</summary>
    public byte[] Serialize(object message)
    {
        ContractEntry entry = EntryFor(message);
        byte[] bytes;
        try
        {
            var contract = (IClusterMessage)message;
            contract.Validate();
            bytes = entry.Serialize(contract, s_options);
        }
        catch (Exception ex) when (ex is not SerializationException)
        {
            throw new SerializationException($"Cannot serialize {entry.Type.Name} (manifest {entry.Manifest}): {ex.Message}", ex);
        }
        if (bytes.Length > MaxPayloadBytes)
        {
            throw new SerializationException(
                $"{entry.Type.Name} serialized to {bytes.Length} bytes, above the {MaxPayloadBytes}-byte payload limit; split it into smaller chunks.");
        }
        return bytes;
    }

    /// <summary>Checks the size and manifest before touching the bytes, then deserializes and validates.</summary>
    public IClusterMessage Deserialize(ReadOnlyMemory<byte> bytes, string manifest)
    {
        if (bytes.Length > MaxPayloadBytes)
        {
            throw new SerializationException(
                $"Payload for manifest '{manifest}' is {bytes.Length} bytes, above the {MaxPayloadBytes}-byte limit; refused before deserializing.");
        }
        if (manifest is null || !s_byManifest.TryGetValue(manifest, out ContractEntry? entry))
        {
            throw new SerializationException(DescribeUnknownManifest(manifest));
        }

        IClusterMessage message;
        int read;
        try
        {
            message = entry.Deserialize(bytes, s_options, out read);
        }
        catch (Exception ex) when (ex is not SerializationException)
        {
            throw new SerializationException($"Malformed {entry.Type.Name} payload ({bytes.Length} bytes, manifest {manifest}): {ex.Message}", ex);
        }
        if (message is null)
        {
            throw new SerializationException($"Malformed {entry.Type.Name} payload (manifest {manifest}): it decodes to nil.");
        }
        if (read != bytes.Length)
        {
            throw new SerializationException(
                $"Malformed {entry.Type.Name} payload (manifest {manifest}): {bytes.Length - read} trailing bytes after the message.");
        }
        try
        {
            message.Validate();
        }
        catch (ContractValidationException ex)
        {
            throw new SerializationException($"Invalid {entry.Type.Name} (manifest {manifest}): {ex.Message}", ex);
        }
        return message;
    }

    private static ContractEntry EntryFor(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!s_byType.TryGetValue(message.GetType(), out ContractEntry? entry))
        {
            throw new SerializationException(
                $"{message.GetType().FullName} is not a registered contract; add it to {nameof(ContractCodec)} and the {nameof(IClusterMessage)} union.");
        }
        return entry;
    }

    private static string DescribeUnknownManifest(string? manifest)
    {
        if (manifest is not null)
        {
            foreach (ContractEntry entry in s_entries)
            {
                if (manifest.StartsWith(entry.Code, StringComparison.Ordinal))
                {
                    return $"Manifest '{manifest}' names {entry.Type.Name} in schema version '{manifest[entry.Code.Length..]}', " +
                           $"but this node speaks schema {ContractSchema.Version}; deploy matching builds.";
                }
            }
        }
        return $"Unknown contract manifest '{manifest ?? "null"}'.";
    }

    /// <summary>One contract type's manifest and strongly typed (de)serializers (no per-call type lookup).</summary>
    private sealed class ContractEntry
    {
        private ContractEntry(Type type, string code)
        {
            Type = type;
            Code = code;
            Manifest = code + ContractSchema.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public Type Type { get; }

        public string Code { get; }

        public string Manifest { get; }

        public Func<IClusterMessage, MessagePackSerializerOptions, byte[]> Serialize { get; private init; } = null!;

        public DeserializeFunc Deserialize { get; private init; } = null!;

        public static ContractEntry For<T>(string code)
            where T : class, IClusterMessage
        {
            return new ContractEntry(typeof(T), code)
            {
                Serialize = static (message, options) => MessagePackSerializer.Serialize((T)message, options),
                Deserialize = static (ReadOnlyMemory<byte> bytes, MessagePackSerializerOptions options, out int read) =>
                    MessagePackSerializer.Deserialize<T>(bytes, options, out read),
            };
        }
    }

    private delegate IClusterMessage DeserializeFunc(ReadOnlyMemory<byte> bytes, MessagePackSerializerOptions options, out int read);
}
