using System.Diagnostics;
using MsMano.Contracts.Rollouts;

namespace MsMano.Contracts.Serialization;

/// <summary>What one rollout chunk costs on the wire and in CPU, per chunk and per transition.</summary>
public sealed record SerializationCost(
    int Agents,
    int Steps,
    int ObservationSize,
    int ActionSize,
    int ChunkBytes,
    double BytesPerTransition,
    double SerializeMicrosecondsPerTransition,
    double DeserializeMicrosecondsPerTransition,
    int Iterations)
{
    public override string ToString()
    {
        return $"RolloutChunk {Agents}x{Steps} (obs {ObservationSize}, act {ActionSize}): {ChunkBytes} bytes, " +
               $"{BytesPerTransition:F1} B/transition, serialize {SerializeMicrosecondsPerTransition:F3} us/transition, " +
               $"deserialize {DeserializeMicrosecondsPerTransition:F3} us/transition ({Iterations} iterations)";
    }
}

/// <summary>Measures <see cref="ContractCodec"/> on a realistic rollout chunk; the CLI's bench command prints it.</summary>
public static class SerializationCostBenchmark
{
    public static SerializationCost Measure(int agents = 64, int steps = 2, int observationSize = 192, int actionSize = 31, int iterations = 2000)
    {
        if (iterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "iterations must be >= 1");
        }
        RolloutChunk chunk = SampleRollouts.Create(agents, steps, observationSize, actionSize, seed: 1);
        var codec = new ContractCodec(int.MaxValue);
        string manifest = codec.Manifest(chunk);

        // Warm up the generated formatters and the JIT before timing.
        byte[] bytes = codec.Serialize(chunk);
        for (int i = 0; i < 50; i++)
        {
            codec.Deserialize(codec.Serialize(chunk), manifest);
        }

        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < iterations; i++)
        {
            bytes = codec.Serialize(chunk);
        }
        TimeSpan serialize = Stopwatch.GetElapsedTime(start);

        start = Stopwatch.GetTimestamp();
        for (int i = 0; i < iterations; i++)
        {
            codec.Deserialize(bytes, manifest);
        }
        TimeSpan deserialize = Stopwatch.GetElapsedTime(start);

        double transitions = (double)chunk.TransitionCount * iterations;
        return new SerializationCost(
            agents,
            steps,
            observationSize,
            actionSize,
            bytes.Length,
            bytes.Length / (double)chunk.TransitionCount,
            serialize.TotalMicroseconds / transitions,
            deserialize.TotalMicroseconds / transitions,
            iterations);
    }
}
