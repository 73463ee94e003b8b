namespace MsMano.Evaluation.Benchmark;

/// <summary>Receives the benchmark's progress: one stage at a time, each with a known amount of work.</summary>
public interface IBenchmarkProgress
{
    void Begin(string stage, long total);

    void Advance(long amount);
}
