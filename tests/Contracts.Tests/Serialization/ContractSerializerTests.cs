using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using MessagePack;
using MsMano.Contracts.Messaging;
using MsMano.Contracts.Rollouts;
using MsMano.Contracts.Serialization;

namespace MsMano.Contracts.Tests.Serialization;

public sealed class ContractSerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("contracts", ContractSerialization.Config(maxPayloadBytes: 512 * 1024));

    public void Dispose()
    {
        _system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    [Theory]
    [MemberData(nameof(SampleMessages.All), MemberType = typeof(SampleMessages))]
    public void Every_contract_is_bound_to_the_contract_serializer_and_round_trips(IClusterMessage message)
    {
        Akka.Serialization.Serialization serialization = _system.Serialization;
        ContractSerializer serializer = Assert.IsType<ContractSerializer>(serialization.FindSerializerFor(message));
        Assert.Equal(ContractSerializer.SerializerId, serializer.Identifier);

        string manifest = serializer.Manifest(message);
        Assert.EndsWith(ContractSchema.Version.ToString(), manifest);
        byte[] bytes = serializer.ToBinary(message);
        object back = serialization.Deserialize(bytes, ContractSerializer.SerializerId, manifest);

        Assert.IsType(message.GetType(), back);
        AssertSameContent(message, back);
    }

    [Fact]
    public void Manifests_are_short_distinct_and_carry_the_schema_version()
    {
        var manifests = ContractCodec.Manifests.Values.ToList();
        Assert.Equal(SampleMessages.Instances().Count, manifests.Count);
        Assert.Equal(manifests.Count, manifests.Distinct().Count());
        Assert.All(manifests, m => Assert.Equal("XX".Length + ContractSchema.Version.ToString().Length, m.Length));
    }

    [Fact]
    public void The_union_on_the_marker_interface_round_trips_every_contract_polymorphically()
    {
        MessagePackSerializerOptions options = MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);
        foreach (IClusterMessage message in SampleMessages.Instances())
        {
            byte[] bytes = MessagePackSerializer.Serialize<IClusterMessage>(message, options);
            IClusterMessage back = MessagePackSerializer.Deserialize<IClusterMessage>(bytes, options);
            AssertSameContent(message, back);
        }
    }

    [Fact]
    public void An_unknown_manifest_is_a_SerializationException()
    {
        var serializer = (ContractSerializer)_system.Serialization.FindSerializerForType(typeof(RolloutAck));
        byte[] bytes = serializer.ToBinary(new RolloutAck("sim-0", 0, 1, 2));

        SerializationException ex = Assert.Throws<SerializationException>(() => serializer.FromBinary(bytes, "ZZ1"));
        Assert.Contains("ZZ1", ex.Message);
    }

    [Fact]
    public void A_manifest_from_another_schema_version_says_so()
    {
        var codec = new ContractCodec();
        byte[] bytes = codec.Serialize(new RolloutAck("sim-0", 0, 1, 2));

        SerializationException ex = Assert.Throws<SerializationException>(() => codec.Deserialize(bytes, "RA" + (ContractSchema.Version + 1)));
        Assert.Contains("schema", ex.Message);
        Assert.Contains(nameof(RolloutAck), ex.Message);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0xc1 })]
    [InlineData(new byte[] { 0xc0 })]
    [InlineData(new byte[] { 0x92, 0xa1, 0x41 })]
    [InlineData(new byte[] { 0xdf, 0xff, 0xff, 0xff, 0xff, 0x00 })]
    [InlineData(new byte[] { 0x9f, 0xc4, 0xff, 0x01, 0x02 })]
    public void Garbage_bytes_are_a_SerializationException(byte[] garbage)
    {
        var codec = new ContractCodec();
        foreach (string manifest in ContractCodec.Manifests.Values)
        {
            Assert.Throws<SerializationException>(() => codec.Deserialize(garbage, manifest));
        }
    }

    [Fact]
    public void Random_garbage_of_realistic_length_is_always_a_SerializationException()
    {
        var codec = new ContractCodec();
        var random = new Random(11);
        for (int i = 0; i < 200; i++)
        {
            byte[] bytes = new byte[random.Next(1, 4096)];
            random.NextBytes(bytes);
            Assert.Throws<SerializationException>(() => codec.Deserialize(bytes, "RC" + ContractSchema.Version));
        }
    }

    [Fact]
    public void Trailing_bytes_after_a_valid_message_are_refused()
    {
        var codec = new ContractCodec();
        byte[] bytes = codec.Serialize(new RolloutAck("sim-0", 0, 1, 2));
        byte[] padded = [.. bytes, 0x00];

        SerializationException ex = Assert.Throws<SerializationException>(() => codec.Deserialize(padded, codec.Manifest(new RolloutAck("a", 0, 0, 0))));
        Assert.Contains("trailing", ex.Message);
    }

    [Fact]
    public void An_oversized_payload_is_refused_before_it_is_read()
    {
        var codec = new ContractCodec(maxPayloadBytes: 64 * 1024);
        // Not even valid msgpack: the size check must fire first, so the message names the limit, not the format.
        byte[] oversized = new byte[(64 * 1024) + 1];

        SerializationException ex = Assert.Throws<SerializationException>(() => codec.Deserialize(oversized, "RC" + ContractSchema.Version));
        Assert.Contains("65536-byte limit", ex.Message);
    }

    [Fact]
    public void An_outbound_message_above_the_limit_is_refused()
    {
        var codec = new ContractCodec(maxPayloadBytes: 64 * 1024);
        RolloutChunk big = SampleRollouts.Create(64, 2, 192, 31, seed: 1);

        SerializationException ex = Assert.Throws<SerializationException>(() => codec.Serialize(big));
        Assert.Contains("split it", ex.Message);
    }

    [Fact]
    public void Inconsistent_blob_lengths_are_a_SerializationException_naming_the_field()
    {
        RolloutChunk valid = SampleRollouts.Create(4, 2, 192, 31, seed: 2);
        // Bypass the codec's outbound validation to forge what a buggy or hostile peer could send.
        RolloutChunk forged = valid with { Rewards = new byte[valid.Rewards.Length - 4] };
        byte[] bytes = MessagePackSerializer.Serialize(forged);
        var codec = new ContractCodec();

        SerializationException ex = Assert.Throws<SerializationException>(() => codec.Deserialize(bytes, codec.Manifest(valid)));
        Assert.Contains("RolloutChunk.Rewards.Length = 28", ex.Message);
        Assert.IsType<ContractValidationException>(ex.InnerException);
    }

    [Fact]
    public void An_invalid_outbound_message_is_a_SerializationException()
    {
        var codec = new ContractCodec();
        SerializationException ex = Assert.Throws<SerializationException>(() => codec.Serialize(new RolloutAck("", 0, 1, 2)));
        Assert.Contains("RolloutAck.NodeId = ''", ex.Message);
    }

    [Fact]
    public void A_type_outside_the_contracts_is_a_SerializationException()
    {
        var codec = new ContractCodec();
        Assert.Throws<SerializationException>(() => codec.Manifest("not a contract"));
    }

    [Fact]
    public void The_payload_limit_comes_from_hocon()
    {
        var serializer = (ContractSerializer)_system.Serialization.FindSerializerForType(typeof(RolloutAck));
        Assert.Equal(512 * 1024, serializer.MaxPayloadBytes);
    }

    [Fact]
    public async Task A_bad_payload_limit_in_hocon_names_the_setting()
    {
        Config config = ConfigurationFactory.ParseString($"{ContractSerialization.SettingsPath}.max-payload-bytes = 12b")
            .WithFallback(ContractSerialization.Config());
        ActorSystem? system = null;

        // Akka may build serializers eagerly (at Create) or on first use; either way the error must name the setting.
        Exception ex = Assert.ThrowsAny<Exception>(() =>
        {
            system = ActorSystem.Create("bad-limit", config);
            system.Serialization.FindSerializerForType(typeof(RolloutAck));
        });
        if (system is not null)
        {
            await system.Terminate();
        }
        Assert.Contains("max-payload-bytes = '12b'", Flatten(ex));
    }

    private static string Flatten(Exception ex)
    {
        return ex.InnerException is null ? ex.Message : ex.Message + " | " + Flatten(ex.InnerException);
    }

    // Records compare arrays by reference, so compare the canonical msgpack encoding instead.
    private static void AssertSameContent(object expected, object actual)
    {
        Assert.Equal(
            MessagePackSerializer.Serialize(expected.GetType(), expected),
            MessagePackSerializer.Serialize(actual.GetType(), actual));
    }
}
