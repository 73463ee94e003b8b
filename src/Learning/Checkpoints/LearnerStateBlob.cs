using System.Text;
using MsMano.Learning.Networks;
using MsMano.Learning.Ppo;

namespace MsMano.Learning.Checkpoints;

/// <summary>
/// A learner's whole training state (weights, Adam state, normaliser, learning rate, counters) as one byte blob:
/// what a data-parallel member sends a joining or diverged member, what the coordinator writes as a checkpoint, and
/// what a member keeps to undo an update whose reduction was abandoned. Layout: magic, format, then the named
/// sections as (name, length, bytes); torch's own module and optimizer formats inside.
/// </summary>
public static class LearnerStateBlob
{
    private const uint Magic = 0x5453_4D4D; // "MMST"
    private const int Format = 1;

    public static byte[] Capture(PpoLearner learner)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(Format);
            writer.Write(learner.PolicyVersion);
            writer.Write(learner.UpdateCount);
            writer.Write(learner.TotalTransitions);
            writer.Write(learner.LearningRate);
            Section(writer, "policy", w => learner.Policy.save(w));
            Section(writer, "value", w => learner.Value.save(w));
            Section(writer, "optimizer", w => learner.Optimizer.save_state_dict(w));
            Section(writer, "normalizer", learner.Normalizer.Write);
        }
        return stream.ToArray();
    }

    /// <summary>Loads <paramref name="blob"/> into <paramref name="learner"/>; throws <see cref="InvalidDataException"/> on a damaged blob.</summary>
    public static void Restore(PpoLearner learner, byte[] blob, string source)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(blob, writable: false), Encoding.UTF8);
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Format)
            {
                throw new InvalidDataException($"{source}: not a learner state blob of format {Format}.");
            }
            long version = reader.ReadInt64();
            long updates = reader.ReadInt64();
            long transitions = reader.ReadInt64();
            double learningRate = reader.ReadDouble();
            ReadSection(reader, "policy", r => learner.Policy.load(r));
            ReadSection(reader, "value", r => learner.Value.load(r));
            ReadSection(reader, "optimizer", r => learner.Optimizer.load_state_dict(r));
            RunningNormalizer? normalizer = null;
            ReadSection(reader, "normalizer", r => normalizer = RunningNormalizer.Read(r));
            learner.RestoreState(normalizer!, learningRate, version, updates, transitions);
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or ArgumentException or FormatException)
        {
            throw new InvalidDataException($"{source}: damaged learner state ({ex.Message}).", ex);
        }
    }

    /// <summary>The policy version recorded in a blob, without loading it.</summary>
    public static long ReadVersion(byte[] blob)
    {
        using var reader = new BinaryReader(new MemoryStream(blob, writable: false));
        if (reader.ReadUInt32() != Magic || reader.ReadInt32() != Format)
        {
            throw new InvalidDataException($"Not a learner state blob of format {Format}.");
        }
        return reader.ReadInt64();
    }

    private static void Section(BinaryWriter writer, string name, Action<BinaryWriter> write)
    {
        using var part = new MemoryStream();
        using (var partWriter = new BinaryWriter(part, Encoding.UTF8, leaveOpen: true))
        {
            write(partWriter);
        }
        writer.Write(name);
        writer.Write(part.Length);
        writer.Write(part.GetBuffer(), 0, (int)part.Length);
    }

    private static void ReadSection(BinaryReader reader, string name, Action<BinaryReader> read)
    {
        string found = reader.ReadString();
        if (found != name)
        {
            throw new InvalidDataException($"expected section '{name}', found '{found}'");
        }
        long length = reader.ReadInt64();
        if (length < 0 || length > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException($"section '{name}' claims {length} bytes");
        }
        byte[] bytes = reader.ReadBytes((int)length);
        using var partReader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        read(partReader);
    }
}
