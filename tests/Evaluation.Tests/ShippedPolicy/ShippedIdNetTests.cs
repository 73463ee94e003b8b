using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Model;
using MsMano.Contracts.Policy;
using MsMano.Environments.IdNet;
using MsMano.Environments.Motion;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Evaluation.ShippedPolicy;
using Xunit.Abstractions;

namespace MsMano.Evaluation.Tests.ShippedPolicy;

public sealed class ShippedIdNetTests(ITestOutputHelper output)
{
    [Fact]
    public void The_shipped_policy_loads_with_IDNet_s_sizes()
    {
        PolicySnapshot policy = ShippedIdNet.Load();
        Assert.Equal(IdNetObservation.Size(includeWrist: true), policy.ObservationSize);
        Assert.Equal(IdNetEnvironmentOptions.ActionSize, policy.ActionSize);
        Assert.True(policy.Version > 0, "the shipped policy is trained, not initial weights");
    }

    /// <summary>
    /// Held-out clips (the train command's held-out seed, never trained on), PD off, muscles drive: one 20 ms step from
    /// the reference state, as BioPR uses IDNet, and open loop over 1 s. The trained policy must track better than
    /// relaxed muscles in both (see src/Evaluation/Data/README.md).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_shipped_policy_tracks_held_out_clips_better_than_zero_excitation(bool resetEachStep)
    {
        PolicySnapshot policy = ShippedIdNet.Load();
        var plant = new HandPlant(HandModelFile.LoadDefault());
        IReadOnlyList<ReferenceMotion> heldOut = MotionCatalog.Load("synthetic:clips=16,seed=9001");
        var options = new IdNetEnvironmentOptions();
        TrackingResult trained = TrackingEvaluation.Run(plant, heldOut, TrackingController.Policy, policy, options, agents: 32, resetEachStep: resetEachStep);
        TrackingResult zero = TrackingEvaluation.Run(plant, heldOut, TrackingController.Zero, null, options, agents: 32, resetEachStep: resetEachStep);
        output.WriteLine($"reset each step {resetEachStep}: shipped IDNet {trained.MeanRmsDegrees:F3} deg RMS, zero excitation {zero.MeanRmsDegrees:F3} deg");
        Assert.True(
            trained.MeanRmsDegrees < zero.MeanRmsDegrees,
            $"shipped IDNet {trained.MeanRmsDegrees:F3} deg RMS vs zero excitation {zero.MeanRmsDegrees:F3} deg (reset each step: {resetEachStep})");
    }
}
