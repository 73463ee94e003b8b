using System.Buffers;
using MessagePack;
using MessagePack.Formatters;

namespace MsMano.Contracts.Policy;

/// <summary>
/// Everything a simulation node needs to run IDNet inference at one policy version: the observation normaliser,
/// the mean MLP's weights and the state-independent log-std. No optimiser, no value net. It travels as a MessagePack
/// message and is also the on-disk "exported inference model" (<see cref="Save"/> / <see cref="Load"/>).
/// </summary>
/// <remarks>
/// Tensor names and shapes (out × in for weights, PyTorch's Linear layout):
/// <c>obs.mean</c> [obs], <c>obs.var</c> [obs], <c>obs.clip</c> [1], <c>obs.epsilon</c> [1],
/// <c>pi.{i}.weight</c> [out, in] and <c>pi.{i}.bias</c> [out] for layer i = 0 … Hidden.Length (the last is the
/// mean head), <c>log_std</c> [act]. Normalised observation = clamp((o − mean) / sqrt(var + epsilon), ±clip).
/// </remarks>
[MessagePackObject]
public sealed record PolicySnapshot(
    [property: Key(0)] long Version,
    [property: Key(1)] int ObservationSize,
    [property: Key(2)] int ActionSize,
    [property: Key(3)] int[] Hidden,
    [property: Key(4)] [property: MessagePackFormatter(typeof(PolicySnapshot.TensorBlobArrayFormatter))] TensorBlob[] Tensors)
{
    public const string ObservationMeanName = "obs.mean";
    public const string ObservationVarianceName = "obs.var";
    public const string ObservationClipName = "obs.clip";
    public const string ObservationEpsilonName = "obs.epsilon";
    public const string LogStdName = "log_std";

    public static string WeightName(int layer) => $"pi.{layer}.weight";

    public static string BiasName(int layer) => $"pi.{layer}.bias";

    /// <summary>Number of linear layers in the mean network (hidden layers plus the output head).</summary>
    [IgnoreMember]
    public int LayerCount => Hidden.Length + 1;

    /// <summary>The tensor called <paramref name="name"/>; throws naming it when absent.</summary>
    public TensorBlob Get(string name)
    {
        foreach (TensorBlob t in Tensors)
        {
            if (t.Name == name)
            {
                return t;
            }
        }
        throw new KeyNotFoundException($"PolicySnapshot (version {Version}) has no tensor '{name}'.");
    }

    /// <summary>Input width of linear layer <paramref name="layer"/>.</summary>
    public int LayerInputSize(int layer) => layer == 0 ? ObservationSize : Hidden[layer - 1];

    /// <summary>Output width of linear layer <paramref name="layer"/>.</summary>
    public int LayerOutputSize(int layer) => layer == Hidden.Length ? ActionSize : Hidden[layer];

    /// <summary>Checks every size and tensor shape so a consumer can trust the layout; throws naming the bad field.</summary>
    public void Validate()
    {
        if (ObservationSize <= 0)
        {
            throw new InvalidDataException($"PolicySnapshot.ObservationSize must be positive, was {ObservationSize}.");
        }
        if (ActionSize <= 0)
        {
            throw new InvalidDataException($"PolicySnapshot.ActionSize must be positive, was {ActionSize}.");
        }
        if (Hidden is null || Tensors is null)
        {
            throw new InvalidDataException("PolicySnapshot.Hidden and PolicySnapshot.Tensors must not be null.");
        }
        for (int i = 0; i < Hidden.Length; i++)
        {
            if (Hidden[i] <= 0)
            {
                throw new InvalidDataException($"PolicySnapshot.Hidden[{i}] must be positive, was {Hidden[i]}.");
            }
        }
        ExpectShape(ObservationMeanName, ObservationSize);
        ExpectShape(ObservationVarianceName, ObservationSize);
        ExpectShape(ObservationClipName, 1);
        ExpectShape(ObservationEpsilonName, 1);
        ExpectShape(LogStdName, ActionSize);
        for (int layer = 0; layer < LayerCount; layer++)
        {
            ExpectShape(WeightName(layer), LayerOutputSize(layer), LayerInputSize(layer));
            ExpectShape(BiasName(layer), LayerOutputSize(layer));
        }
        foreach (TensorBlob t in Tensors)
        {
            foreach (float v in t.AsFloats())
            {
                if (!float.IsFinite(v))
                {
                    throw new InvalidDataException($"PolicySnapshot tensor '{t.Name}' holds a non-finite value ({v}).");
                }
            }
        }
    }

    /// <summary>Writes the snapshot to <paramref name="path"/> atomically (temporary file, then rename).</summary>
    public void Save(string path)
    {
        string full = Path.GetFullPath(path);
        string? directory = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        string temporary = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                MessagePackSerializer.Serialize(stream, this);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Reads and validates a snapshot written by <see cref="Save"/>.</summary>
    public static PolicySnapshot Load(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Load(stream);
    }

    /// <summary>Reads and validates a snapshot from a stream (e.g. one embedded in an assembly).</summary>
    public static PolicySnapshot Load(Stream stream)
    {
        PolicySnapshot snapshot = MessagePackSerializer.Deserialize<PolicySnapshot>(stream);
        snapshot.Validate();
        return snapshot;
    }

    private void ExpectShape(string name, params int[] shape)
    {
        TensorBlob tensor = Get(name);
        if (!tensor.Shape.AsSpan().SequenceEqual(shape) || tensor.Data.Length != tensor.ElementCount * sizeof(float))
        {
            throw new InvalidDataException(
                $"PolicySnapshot tensor '{name}' has shape [{string.Join(",", tensor.Shape)}] and {tensor.Data.Length} bytes; " +
                $"expected [{string.Join(",", shape)}].");
        }
    }

    /// <summary>
    /// Writes each blob as the array [name, shape, data], the same layout its int keys describe. Needed because the
    /// dynamic resolver rejects <see cref="TensorBlob"/> itself (its computed ElementCount has no IgnoreMember).
    /// </summary>
    public sealed class TensorBlobArrayFormatter : IMessagePackFormatter<TensorBlob[]>
    {
        public void Serialize(ref MessagePackWriter writer, TensorBlob[] value, MessagePackSerializerOptions options)
        {
            if (value is null)
            {
                writer.WriteNil();
                return;
            }
            writer.WriteArrayHeader(value.Length);
            foreach (TensorBlob blob in value)
            {
                writer.WriteArrayHeader(3);
                writer.Write(blob.Name);
                writer.WriteArrayHeader(blob.Shape.Length);
                foreach (int d in blob.Shape)
                {
                    writer.Write(d);
                }
                writer.Write(blob.Data);
            }
        }

        public TensorBlob[] Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
        {
            if (reader.TryReadNil())
            {
                return null!;
            }
            int count = reader.ReadArrayHeader();
            var blobs = new TensorBlob[count];
            for (int i = 0; i < count; i++)
            {
                if (reader.ReadArrayHeader() != 3)
                {
                    throw new MessagePackSerializationException($"PolicySnapshot.Tensors[{i}] is not a [name, shape, data] triple.");
                }
                string name = reader.ReadString() ?? throw new MessagePackSerializationException($"PolicySnapshot.Tensors[{i}] has no name.");
                int[] shape = new int[reader.ReadArrayHeader()];
                for (int d = 0; d < shape.Length; d++)
                {
                    shape[d] = reader.ReadInt32();
                }
                ReadOnlySequence<byte> bytes = reader.ReadBytes() ?? throw new MessagePackSerializationException($"PolicySnapshot tensor '{name}' has no data.");
                blobs[i] = new TensorBlob(name, shape, bytes.ToArray());
            }
            return blobs;
        }
    }
}
