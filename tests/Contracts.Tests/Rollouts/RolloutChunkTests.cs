using MsMano.Contracts.Messaging;
using MsMano.Contracts.Rollouts;
using MsMano.Contracts.Serialization;

namespace MsMano.Contracts.Tests.Rollouts;

public sealed class RolloutChunkTests
{
    [Fact]
    public void The_view_reads_back_exactly_what_was_written_in_time_major_order()
    {
        const int agents = 3, steps = 2, obs = 4, act = 2;
        float[] observations = Enumerable.Range(0, steps * agents * obs).Select(i => (float)i).ToArray();
        float[] actions = Enumerable.Range(0, steps * agents * act).Select(i => -(float)i).ToArray();
        float[] logProbs = [0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f];
        float[] rewards = [1, 2, 3, 4, 5, 6];
        TransitionFlags[] flags = [0, 0, TransitionFlags.Truncated, 0, TransitionFlags.Terminated, 0];
        float[] next = Enumerable.Range(100, agents * obs).Select(i => (float)i).ToArray();
        var header = new RolloutChunkHeader("sim-1", 2, 5, 7, 32, agents, steps, obs, act);

        var chunk = RolloutChunk.Create(header, observations, actions, logProbs, rewards, flags, next);
        RolloutView view = chunk.Read();

        Assert.Equal(observations, view.Observations.ToArray());
        Assert.Equal(actions, view.Actions.ToArray());
        Assert.Equal(logProbs, view.LogProbs.ToArray());
        Assert.Equal(rewards, view.Rewards.ToArray());
        Assert.Equal(flags, view.Flags.ToArray());
        Assert.Equal(next, view.NextObservations.ToArray());
        // Step 1, agent 2: index (1 * 3 + 2) * 4 = 20.
        Assert.Equal(new float[] { 20, 21, 22, 23 }, view.ObservationAt(1, 2).ToArray());
        Assert.Equal(new float[] { -10, -11 }, view.ActionAt(1, 2).ToArray());
        Assert.Equal(6, chunk.TransitionCount);
        Assert.Equal(32, chunk.FirstAgent);
    }

    [Theory]
    [InlineData(nameof(RolloutChunk.Observations))]
    [InlineData(nameof(RolloutChunk.Actions))]
    [InlineData(nameof(RolloutChunk.LogProbs))]
    [InlineData(nameof(RolloutChunk.Rewards))]
    [InlineData(nameof(RolloutChunk.Flags))]
    [InlineData(nameof(RolloutChunk.NextObservations))]
    public void A_blob_of_the_wrong_length_is_named_in_the_error(string field)
    {
        RolloutChunk valid = SampleRollouts.Create(4, 2, 8, 3, seed: 3);
        RolloutChunk broken = field switch
        {
            nameof(RolloutChunk.Observations) => valid with { Observations = new byte[valid.Observations.Length + 4] },
            nameof(RolloutChunk.Actions) => valid with { Actions = new byte[valid.Actions.Length - 1] },
            nameof(RolloutChunk.LogProbs) => valid with { LogProbs = [] },
            nameof(RolloutChunk.Rewards) => valid with { Rewards = new byte[valid.Rewards.Length * 2] },
            nameof(RolloutChunk.Flags) => valid with { Flags = new byte[valid.Flags.Length + 1] },
            _ => valid with { NextObservations = valid.Observations },
        };

        ContractValidationException ex = Assert.Throws<ContractValidationException>(() => broken.Read());
        Assert.Equal(field + ".Length", ex.Field);
        Assert.StartsWith($"RolloutChunk.{field}.Length = ", ex.Message);
    }

    [Fact]
    public void A_header_that_would_overflow_int_arithmetic_is_rejected_not_wrapped()
    {
        RolloutChunk valid = SampleRollouts.Create(1, 1, 8, 3, seed: 3);
        // 4096 * 4096 * 4096 * 4 bytes overflows 32 bits; a wrapped product must not match some short blob.
        RolloutChunk hostile = valid with { AgentCount = 4096, StepCount = 4096, ObservationSize = 4096 };

        ContractValidationException ex = Assert.Throws<ContractValidationException>(() => hostile.Validate());
        Assert.Equal("Observations.Length", ex.Field);
    }

    [Theory]
    [InlineData("AgentCount", 0)]
    [InlineData("StepCount", 5000)]
    [InlineData("ObservationSize", -1)]
    [InlineData("ActionSize", 0)]
    [InlineData("ActorId", -3)]
    public void Header_sizes_out_of_range_are_named_with_their_value(string field, int value)
    {
        RolloutChunk valid = SampleRollouts.Create(2, 2, 8, 3, seed: 4);
        RolloutChunk broken = field switch
        {
            "AgentCount" => valid with { AgentCount = value },
            "StepCount" => valid with { StepCount = value },
            "ObservationSize" => valid with { ObservationSize = value },
            "ActionSize" => valid with { ActionSize = value },
            _ => valid with { ActorId = value },
        };

        ContractValidationException ex = Assert.Throws<ContractValidationException>(() => broken.Validate());
        Assert.Equal(field, ex.Field);
        Assert.Contains($"{field} = {value}", ex.Message);
    }

    [Fact]
    public void Undefined_flag_bits_are_rejected_with_their_index()
    {
        RolloutChunk valid = SampleRollouts.Create(2, 2, 8, 3, seed: 4);
        byte[] flags = new byte[valid.Flags.Length];
        flags[3] = 4;

        ContractValidationException ex = Assert.Throws<ContractValidationException>(() => (valid with { Flags = flags }).Validate());
        Assert.Equal("Flags[3]", ex.Field);
    }

    [Fact]
    public void A_64_by_2_chunk_costs_its_blob_bytes_plus_a_small_header()
    {
        RolloutChunk chunk = SampleRollouts.Create(64, 2, 192, 31, seed: 1);
        byte[] bytes = new ContractCodec().Serialize(chunk);

        long blobs = RolloutChunkLayout.BytesPerAgent(2, 192, 31) * 64;
        Assert.Equal(164_480, blobs);
        Assert.InRange(bytes.Length - blobs, 1, 64);
        // Above Akka's default 128,000-byte frame: this is why actors split their batch with RolloutChunkLayout.
        Assert.True(bytes.Length > 128_000, $"64x2 chunk is {bytes.Length} bytes");
    }

    [Fact]
    public void The_layout_splits_a_64_agent_batch_into_chunks_under_the_default_frame()
    {
        IReadOnlyList<(int FirstAgent, int AgentCount)> plan = RolloutChunkLayout.Plan(agents: 64, steps: 2, observationSize: 192, actionSize: 31);

        Assert.Equal(new[] { (0, 32), (32, 32) }, plan);
        var codec = new ContractCodec();
        foreach ((int first, int count) in plan)
        {
            RolloutChunk part = SampleRollouts.Create(count, 2, 192, 31, seed: first);
            int size = codec.Serialize(part).Length;
            Assert.True(size < 100_000, $"chunk of {count} agents is {size} bytes");
        }
    }

    [Theory]
    [InlineData(65, 2, 192, 31, 98_304)]
    [InlineData(7, 16, 192, 31, 50_000)]
    [InlineData(1, 1, 1, 1, 1_000)]
    public void The_layout_covers_every_agent_once_with_balanced_chunks_inside_the_budget(int agents, int steps, int obs, int act, int budget)
    {
        IReadOnlyList<(int FirstAgent, int AgentCount)> plan = RolloutChunkLayout.Plan(agents, steps, obs, act, budget);

        Assert.Equal(Enumerable.Range(0, agents), plan.SelectMany(p => Enumerable.Range(p.FirstAgent, p.AgentCount)));
        Assert.True(plan.Max(p => p.AgentCount) - plan.Min(p => p.AgentCount) <= 1);
        Assert.All(plan, p => Assert.True(p.AgentCount * RolloutChunkLayout.BytesPerAgent(steps, obs, act) <= budget));
    }

    [Fact]
    public void A_budget_below_one_agent_names_the_budget()
    {
        ArgumentOutOfRangeException ex = Assert.Throws<ArgumentOutOfRangeException>(() => RolloutChunkLayout.Plan(4, 2, 192, 31, budgetBytes: 100));
        Assert.Equal("budgetBytes", ex.ParamName);
    }

    [Fact]
    public void The_benchmark_reports_the_serialized_size_and_per_transition_costs()
    {
        SerializationCost cost = SerializationCostBenchmark.Measure(agents: 32, steps: 2, iterations: 20);

        int expected = new ContractCodec().Serialize(SampleRollouts.Create(32, 2, 192, 31, seed: 1)).Length;
        Assert.Equal(expected, cost.ChunkBytes);
        Assert.Equal(expected / 64.0, cost.BytesPerTransition, 6);
        Assert.True(double.IsFinite(cost.SerializeMicrosecondsPerTransition) && cost.SerializeMicrosecondsPerTransition > 0);
        Assert.True(double.IsFinite(cost.DeserializeMicrosecondsPerTransition) && cost.DeserializeMicrosecondsPerTransition > 0);
        Assert.Contains("B/transition", cost.ToString());
    }
}
