using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace MsMano.Contracts.Serialization;

/// <summary>
/// Akka serializer for every <see cref="Messaging.IClusterMessage"/>; bind it with
/// <see cref="ContractSerialization.Config"/>. The manifest carries a short type code plus the schema version.
/// </summary>
public sealed class ContractSerializer : SerializerWithStringManifest
{
    /// <summary>On the wire in every envelope: never change it. Above Akka's reserved range and the contrib ids.</summary>
    public const int SerializerId = 7105;

    private readonly ContractCodec _codec;

    public ContractSerializer(ExtendedActorSystem system)
        : this(system, system.Settings.Config.GetConfig(ContractSerialization.SettingsPath))
    {
    }

    /// <summary>Akka calls this overload with <c>akka.actor.serialization-settings.msmano-contracts</c> when present.</summary>
    public ContractSerializer(ExtendedActorSystem system, Config? settings)
        : base(system)
    {
        _codec = new ContractCodec(ReadMaxPayload(settings));
    }

    public override int Identifier => SerializerId;

    public int MaxPayloadBytes => _codec.MaxPayloadBytes;

    public override string Manifest(object o)
    {
        return _codec.Manifest(o);
    }

    public override byte[] ToBinary(object obj)
    {
        return _codec.Serialize(obj);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        return _codec.Deserialize(bytes, manifest);
    }

    private static int ReadMaxPayload(Config? settings)
    {
        if (settings is null || settings.IsEmpty || !settings.HasPath("max-payload-bytes"))
        {
            return ContractCodec.DefaultMaxPayloadBytes;
        }
        long? value = settings.GetByteSize("max-payload-bytes", null);
        if (value is null || value < 1024 || value > int.MaxValue)
        {
            throw new ConfigurationException(
                $"{ContractSerialization.SettingsPath}.max-payload-bytes = '{settings.GetString("max-payload-bytes")}' must be a byte size in [1024, {int.MaxValue}].");
        }
        return (int)value.Value;
    }
}
