using MessagePack;

namespace MsMano.Contracts.Policy;

/// <summary>
/// One named float32 tensor as raw little-endian bytes. MessagePack writes a float[] as 5 bytes per element with
/// a byte swap each; a bin blob is a memcpy, so tensors always travel in this form.
/// </summary>
[MessagePackObject]
public sealed record TensorBlob(
    [property: Key(0)] string Name,
    [property: Key(1)] int[] Shape,
    [property: Key(2)] byte[] Data)
{
    [IgnoreMember]
    public int ElementCount
    {
        get
        {
            int n = 1;
            foreach (int d in Shape)
            {
                n *= d;
            }
            return n;
        }
    }

    public static TensorBlob FromFloats(string name, int[] shape, ReadOnlySpan<float> values)
    {
        byte[] bytes = new byte[values.Length * sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).CopyTo(bytes);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("TensorBlob assumes a little-endian host.");
        }
        return new TensorBlob(name, shape, bytes);
    }

    public ReadOnlySpan<float> AsFloats() => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Data);
}
