using Akka.Actor;
using Akka.Serialization;
using MsMano.Contracts.Rollouts;
using MsMano.Contracts.Serialization;

namespace MsMano.Cluster.Tests.Specs;

/// <summary>
/// Stands in for the contract serializer on one misbehaving node: same identifier and manifests, correct bytes for
/// every message except rollout chunks from node "corrupt", which become garbage. The receiving node runs the real
/// serializer, so this is exactly what a buggy or hostile peer puts on the wire.
/// </summary>
public sealed class CorruptingContractSerializer : SerializerWithStringManifest
{
    public const string CorruptNodeId = "corrupt";

    private readonly ContractCodec _codec = new(int.MaxValue);

    public CorruptingContractSerializer(ExtendedActorSystem system)
        : base(system)
    {
    }

    // Akka picks this overload when serialization-settings exist for the serializer's name.
    public CorruptingContractSerializer(ExtendedActorSystem system, Akka.Configuration.Config settings)
        : base(system)
    {
        _ = settings;
    }

    public override int Identifier => ContractSerializer.SerializerId;

    public override string Manifest(object o)
    {
        return _codec.Manifest(o);
    }

    public override byte[] ToBinary(object obj)
    {
        if (obj is RolloutChunk { NodeId: CorruptNodeId })
        {
            byte[] garbage = new byte[2048];
            new Random(17).NextBytes(garbage);
            return garbage;
        }
        return _codec.Serialize(obj);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        return _codec.Deserialize(bytes, manifest);
    }
}
