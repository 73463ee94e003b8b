using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Model;
using MsMano.Contracts.Rollouts;
using MsMano.Environments.IdNet;
using MsMano.Environments.Motion;
using MsMano.Environments.Motion.Generator;
using MsMano.Environments.Policy;
using MsMano.Environments.Rollouts;

namespace MsMano.Environments.Tests.IdNet;

public sealed class IdNetEnvironmentTests
{
    private static readonly HandModel Model = HandModelFile.LoadDefault();
    private static readonly HandPlant Plant = new(Model);
    private static readonly IReadOnlyList<ReferenceMotion> Motions =
        new HandMotionGenerator(Model).Generate(8, seed: 3).Select(g => g.Motion).ToArray();

    private static (float[] Rewards, TransitionFlags[] Flags) Run(IdNetEnvironment env, int steps, Func<int, float> action)
    {
        float[] actions = new float[env.AgentCount * env.ActionSize];
        float[] rewards = new float[env.AgentCount];
        var flags = new TransitionFlags[env.AgentCount];
        var all = new List<float>();
        var allFlags = new List<TransitionFlags>();
        for (int t = 0; t < steps; t++)
        {
            for (int i = 0; i < actions.Length; i++)
            {
                actions[i] = action(i + (t * actions.Length));
            }
            env.Step(actions, rewards, flags);
            all.AddRange(rewards);
            allFlags.AddRange(flags);
        }
        return (all.ToArray(), allFlags.ToArray());
    }

    [Theory]
    [InlineData(true, 192)]
    [InlineData(false, 180)]
    public void The_observation_is_current_pose_rate_then_target_pose_rate_and_starts_on_the_reference(bool wrist, int size)
    {
        var env = new IdNetEnvironment(Plant, Motions, 8, new IdNetEnvironmentOptions { IncludeWrist = wrist, AugmentationDegrees = 0 }, seed: 5);
        Assert.Equal(size, env.ObservationSize);
        float[] obs = new float[8 * size];
        env.WriteObservations(obs);
        int b = IdNetObservation.BlockSize(wrist);
        int o = IdNetObservation.DofOffset(wrist);
        float[] angles = new float[45];
        float[] rates = new float[45];
        float[] root = new float[3];
        float[] rootRate = new float[3];
        for (int n = 0; n < 8; n++)
        {
            Motions[env.Clip(n)].Sample(env.ClipTime(n), angles, rates, root, rootRate);
            for (int d = 0; d < 45; d++)
            {
                Assert.Equal(angles[d], obs[(n * size) + o + d], 5);
                Assert.Equal(rates[d], obs[(n * size) + b + o + d], 4);
            }
            Motions[env.Clip(n)].Sample(env.ClipTime(n) + 0.02, angles, rates, root, rootRate);
            for (int d = 0; d < 45; d++)
            {
                Assert.Equal(angles[d], obs[(n * size) + (2 * b) + o + d], 5);
                Assert.Equal(rates[d], obs[(n * size) + (3 * b) + o + d], 4);
            }
        }
    }

    [Fact]
    public void The_pd_drive_with_inverse_dynamics_tracks_the_reference_far_better_than_pd_alone()
    {
        double Tracking(bool inverseDynamics)
        {
            var env = new IdNetEnvironment(Plant, Motions, 16, new IdNetEnvironmentOptions { InverseDynamics = inverseDynamics, AugmentationDegrees = 0 }, seed: 2);
            double sum = 0;
            for (int t = 0; t < 40; t++)
            {
                Run(env, 1, _ => -1f);
                foreach (float e in env.TrackingErrors)
                {
                    sum += e;
                }
            }
            return sum / (40 * 16) * 180 / Math.PI;
        }

        double withId = Tracking(true);
        double pdOnly = Tracking(false);
        Assert.True(withId < 1.0, $"PD + inverse dynamics tracks within {withId:F2} deg RMS");
        // Measured 0.35 against 1.16 deg (3.3x) with a 1 mm contact margin, 0.41 against 1.20 (2.9x) with MuJoCo's 2 mm
        // and MyoHand's hinges only: the skin contacts, which the inverse dynamics leaves out, take some of its lead.
        Assert.True(withId < pdOnly / 2.5, $"inverse dynamics {withId:F2} deg vs PD alone {pdOnly:F2} deg");
    }

    [Fact]
    public void Rewards_lie_in_0_1_and_relaxed_muscles_score_above_random_excitation()
    {
        var relaxed = new IdNetEnvironment(Plant, Motions, 16, new IdNetEnvironmentOptions(), seed: 4);
        var random = new IdNetEnvironment(Plant, Motions, 16, new IdNetEnvironmentOptions(), seed: 4);
        var rng = new Random(1);
        float[] r0 = Run(relaxed, 20, _ => -1f).Rewards;
        float[] r1 = Run(random, 20, _ => (float)((rng.NextDouble() * 2) - 1)).Rewards;
        Assert.All(r0.Concat(r1), r => Assert.InRange(r, 0f, 1f));
        Assert.True(r0.Average() > 5 * r1.Average(), $"relaxed {r0.Average():F4} vs random {r1.Average():F4}");
        // Training mode never lets the muscles move the hand: the policy's actions only change the reward.
        Assert.False(relaxed.Batch.MusclesApplied);
        Assert.True(relaxed.Batch.PdEnabled);
    }

    [Fact]
    public void A_clip_end_terminates_the_episode_and_restarts_the_agent_on_the_reference()
    {
        var env = new IdNetEnvironment(Plant, Motions, 4, new IdNetEnvironmentOptions(), seed: 6);
        for (int n = 0; n < 4; n++)
        {
            env.StartAt(n, n, Motions[n].Duration - 0.05);
        }
        (_, TransitionFlags[] flags) = Run(env, 3, _ => -1f);
        Assert.All(Enumerable.Range(0, 4), n => Assert.Contains(TransitionFlags.Terminated, flags.Where((_, i) => i % 4 == n)));
        Assert.Equal(4, env.EpisodesCompleted);
    }

    [Fact]
    public void Non_finite_actions_never_produce_a_non_finite_reward_or_state()
    {
        var env = new IdNetEnvironment(Plant, Motions, 8, new IdNetEnvironmentOptions(), seed: 7);
        (float[] rewards, _) = Run(env, 10, i => i % 3 == 0 ? float.NaN : i % 3 == 1 ? float.PositiveInfinity : -1f);
        Assert.All(rewards, r => Assert.True(float.IsFinite(r)));
        Assert.True(env.Batch.AllFinite());
    }

    [Fact]
    public void Augmentation_perturbs_each_target_angle_with_the_configured_standard_deviation()
    {
        var env = new IdNetEnvironment(Plant, Motions, 64, new IdNetEnvironmentOptions { AugmentationDegrees = 0.1 }, seed: 8);
        float[] obs = new float[64 * 192];
        env.WriteObservations(obs);
        float[] angles = new float[45];
        float[] rates = new float[45];
        float[] root = new float[3];
        float[] rootRate = new float[3];
        double squares = 0;
        for (int n = 0; n < 64; n++)
        {
            Motions[env.Clip(n)].Sample(env.ClipTime(n) + 0.02, angles, rates, root, rootRate);
            for (int d = 0; d < 45; d++)
            {
                double e = obs[(n * 192) + 96 + 3 + d] - angles[d];
                squares += e * e;
            }
        }
        double stdDegrees = Math.Sqrt(squares / (64 * 45)) * 180 / Math.PI;
        Assert.InRange(stdDegrees, 0.09, 0.11);
    }

    [Fact]
    public void Test_mode_lets_the_muscles_drive_with_the_pd_drive_off()
    {
        var env = new IdNetEnvironment(Plant, Motions, 8, new IdNetEnvironmentOptions { Mode = EnvironmentMode.Test }, seed: 9);
        Assert.True(env.Batch.MusclesApplied);
        Assert.False(env.Batch.PdEnabled);
        // Fully excited flexors and extensors move the hand away from the reference quickly.
        Run(env, 10, _ => 1f);
        Assert.True(env.TrackingErrors.ToArray().Average() > 0.05);
    }

    [Fact]
    public void A_rollout_source_fills_a_buffer_with_finite_time_major_data_and_splits_it_into_frame_sized_chunks()
    {
        using var source = new IdNetRolloutSource(Plant, Motions, 64, new IdNetEnvironmentOptions(), seed: 10,
            RandomPolicySnapshot.Create(192, actionSize: 31, seed: 3, version: 7));
        var buffer = new RolloutBuffer(2, 64, 192, 31);
        source.Collect(buffer);
        Assert.Equal(7, buffer.PolicyVersion);
        Assert.All(buffer.Observations, v => Assert.True(float.IsFinite(v)));
        Assert.All(buffer.Rewards, v => Assert.InRange(v, 0f, 1f));
        Assert.All(buffer.NextObservations, v => Assert.True(float.IsFinite(v)));
        long sequence = 0;
        IReadOnlyList<RolloutChunk> chunks = buffer.ToChunks("sim-0", 0, () => sequence++);
        Assert.True(chunks.Count >= 2);
        Assert.Equal(64, chunks.Sum(c => c.AgentCount));
        Assert.All(chunks, c => Assert.True(c.Observations.Length + c.NextObservations.Length < 128_000));
        // Agent 40's reward at step 1 survives the split.
        RolloutChunk holder = chunks.First(c => c.FirstAgent <= 40 && 40 < c.FirstAgent + c.AgentCount);
        RolloutView view = holder.Read();
        Assert.Equal(buffer.Rewards[64 + 40], view.Rewards[holder.AgentCount + (40 - holder.FirstAgent)]);
    }

    [Fact]
    public void A_policy_of_the_wrong_size_is_refused_by_name()
    {
        using var source = new IdNetRolloutSource(Plant, Motions, 4, new IdNetEnvironmentOptions(), seed: 1);
        ArgumentException ex = Assert.Throws<ArgumentException>(() => source.LoadPolicy(RandomPolicySnapshot.Create(180, actionSize: 31)));
        Assert.Contains("180", ex.Message);
    }
}
