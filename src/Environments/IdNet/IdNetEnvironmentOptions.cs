using MsMano.Biomechanics.Batch;

namespace MsMano.Environments.IdNet;

/// <summary>Training drives the hand with PD + inverse dynamics and scores the muscles; Test lets the muscles drive.</summary>
public enum EnvironmentMode
{
    Train,
    Test,
}

/// <summary>Every number of the IDNet environment a user may change, with the paper's defaults.</summary>
public sealed record IdNetEnvironmentOptions
{
    /// <summary>192-number observation with the wrist (the paper), 180 without (the authors' code).</summary>
    public bool IncludeWrist { get; init; } = true;

    /// <summary>
    /// w in r = exp(-w ||tau_pd - tau_m||), per N m. The authors' 0.1 was in Unity's scaled torque units; ours are SI
    /// on a real-size hand, where the torques to track a reference are a fraction of a newton-metre, so w is larger.
    /// </summary>
    public double RewardWeight { get; init; } = 2.0;

    /// <summary>PD stiffness (N m / rad) around the reference; the inverse-dynamics term carries most of the load.</summary>
    public float Kp { get; init; } = 0.5f;

    /// <summary>PD damping (N m s / rad).</summary>
    public float Kd { get; init; } = 0.005f;

    /// <summary>Computed-torque compensation (M qdd_ref + bias) on top of PD, as the training controller.</summary>
    public bool InverseDynamics { get; init; } = true;

    /// <summary>Standard deviation (degrees) of the Gaussian noise added to each target joint angle in training.</summary>
    public double AugmentationDegrees { get; init; } = 0.1;

    public EnvironmentMode Mode { get; init; } = EnvironmentMode.Train;

    /// <summary>Physics step and substeps per control step (20 ms control step by default).</summary>
    public SimulationSettings Simulation { get; init; } = new();

    public int ObservationSize => IdNetObservation.Size(IncludeWrist);

    public const int ActionSize = 31;

    public IdNetEnvironmentOptions Validate()
    {
        Check(double.IsFinite(RewardWeight) && RewardWeight > 0, nameof(RewardWeight), RewardWeight, "must be a positive number");
        Check(float.IsFinite(Kp) && Kp >= 0, nameof(Kp), Kp, "must be >= 0");
        Check(float.IsFinite(Kd) && Kd >= 0, nameof(Kd), Kd, "must be >= 0");
        Check(double.IsFinite(AugmentationDegrees) && AugmentationDegrees >= 0, nameof(AugmentationDegrees), AugmentationDegrees, "must be >= 0");
        Simulation.Validate();
        return this;
    }

    private static void Check(bool ok, string name, object value, string rule)
    {
        if (!ok)
        {
            throw new ArgumentException($"environment option {name} = {value} {rule}.", name);
        }
    }
}
