using MessagePack;
using MsMano.Contracts.Policy;

namespace MsMano.Contracts.Tests;

public sealed class TensorBlobTests
{
    [Fact]
    public void A_tensor_blob_round_trips_through_the_standard_resolver()
    {
        var blob = TensorBlob.FromFloats("w", [2, 3], [1f, 2f, 3f, 4f, 5f, float.MinValue]);
        TensorBlob back = MessagePackSerializer.Deserialize<TensorBlob>(MessagePackSerializer.Serialize(blob));
        Assert.Equal("w", back.Name);
        Assert.Equal([2, 3], back.Shape);
        Assert.Equal(blob.AsFloats().ToArray(), back.AsFloats().ToArray());
        Assert.Equal(6, back.ElementCount);
    }
}
