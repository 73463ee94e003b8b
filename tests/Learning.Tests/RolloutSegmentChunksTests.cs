using MsMano.Contracts.Rollouts;
using MsMano.Learning.Ppo;

namespace MsMano.Learning.Tests;

public sealed class RolloutSegmentChunksTests
{
    private const int Obs = 3;
    private const int Act = 2;

    /// <summary>2 steps x 3 agents with recognisable values: observation (t, n, k) = 100 t + 10 n + k.</summary>
    private static RolloutChunk Chunk(TransitionFlags[]? flags = null, Action<float[]>? editRewards = null)
    {
        const int steps = 2, agents = 3;
        float[] obs = new float[steps * agents * Obs];
        for (int t = 0; t < steps; t++)
        {
            for (int n = 0; n < agents; n++)
            {
                for (int k = 0; k < Obs; k++)
                {
                    obs[((t * agents) + n) * Obs + k] = (100 * t) + (10 * n) + k;
                }
            }
        }
        float[] rewards = new float[] { 0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f };
        editRewards?.Invoke(rewards);
        var header = new RolloutChunkHeader("sim-1", 0, 7, 5, 32, agents, steps, Obs, Act);
        return RolloutChunk.Create(
            header, obs, Enumerable.Range(0, steps * agents * Act).Select(i => (float)i).ToArray(), new float[steps * agents],
            rewards, flags ?? new TransitionFlags[steps * agents], Enumerable.Repeat(9f, agents * Obs).ToArray());
    }

    [Fact]
    public void A_chunk_becomes_one_time_major_segment_with_its_policy_version()
    {
        RolloutSegment segment = RolloutSegmentChunks.FromChunk(Chunk(), Obs, Act);

        Assert.Equal((2, 3, 5L), (segment.Steps, segment.Agents, segment.PolicyVersion));
        Assert.Equal(112f, segment.Observations.Span[((1 * 3) + 1) * Obs + 2]);
        Assert.Equal([0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f], segment.Rewards.ToArray());
        Assert.All(segment.NextObservations.ToArray(), v => Assert.Equal(9f, v));
        Assert.Null(segment.FinalObservations);
    }

    [Fact]
    public void Terminated_flags_map_to_terminated_and_need_no_final_observation()
    {
        var flags = new TransitionFlags[6];
        flags[4] = TransitionFlags.Terminated;
        flags[5] = TransitionFlags.Terminated | TransitionFlags.Truncated;

        RolloutSegment segment = RolloutSegmentChunks.FromChunk(Chunk(flags), Obs, Act);

        Assert.Equal([false, false, false, false, true, true], segment.Terminated.ToArray());
        Assert.Equal([false, false, false, false, false, true], segment.Truncated.ToArray());
    }

    [Fact]
    public void Truncated_without_terminated_is_refused_because_chunks_carry_no_final_observation()
    {
        var flags = new TransitionFlags[6];
        flags[4] = TransitionFlags.Truncated;

        ArgumentException ex = Assert.Throws<ArgumentException>(() => RolloutSegmentChunks.FromChunk(Chunk(flags), Obs, Act));

        Assert.Contains("transition 4 (step 1, agent 33)", ex.Message);
        Assert.Contains("Truncated without Terminated", ex.Message);
        Assert.Contains("sim-1/0#7", ex.Message);
    }

    [Fact]
    public void A_NaN_reward_is_refused_naming_the_chunk_and_the_field()
    {
        RolloutChunk chunk = Chunk(editRewards: r => r[3] = float.NaN);

        ArgumentException ex = Assert.Throws<ArgumentException>(() => RolloutSegmentChunks.FromChunk(chunk, Obs, Act));

        Assert.Contains("sim-1/0#7 (policy 5)", ex.Message);
        Assert.Contains("Rewards[3] is NaN", ex.Message);
    }

    [Fact]
    public void Sizes_other_than_the_learners_are_refused()
    {
        ArgumentException ex = Assert.Throws<ArgumentException>(() => RolloutSegmentChunks.FromChunk(Chunk(), 192, 31));
        Assert.Contains("3/2; the learner expects 192/31", ex.Message);
    }

    [Fact]
    public void A_chunk_whose_blobs_do_not_match_its_header_is_refused()
    {
        RolloutChunk broken = Chunk() with { Rewards = new byte[5] };

        ArgumentException ex = Assert.Throws<ArgumentException>(() => RolloutSegmentChunks.FromChunk(broken, Obs, Act));
        Assert.Contains("malformed", ex.Message);
        Assert.Contains("Rewards.Length", ex.Message);
    }
}
