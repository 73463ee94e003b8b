namespace MsMano.Evaluation.BioPr;

/// <summary>What the wrist (root) numbers of the 192-number IDNet observation hold during BioPR.</summary>
public enum BioPrWrist
{
    /// <summary>
    /// Zeros. The simulator's wrist is fixed and IDNet is trained on clips with a still wrist (the motion generator's
    /// default), so its observation normaliser has near-zero variance there and a moving wrist would saturate it.
    /// </summary>
    Zero,

    /// <summary>The predicted wrist axis-angle and its finite-difference rate (for a policy trained with a moving wrist).</summary>
    Predicted,
}

/// <summary>The joint rates the simulator restarts from when the refined pose is fed back.</summary>
public enum FeedbackVelocity
{
    /// <summary>The rates the simulation itself reached: the hand carries its own physical state from frame to frame.</summary>
    Simulated,

    /// <summary>The finite-difference rates of the prediction, as without feedback.</summary>
    Predicted,
}

/// <summary>Settings of the BioPR simulation-in-the-loop pass (<see cref="BioPrRunner"/>); defaults follow the paper.</summary>
public sealed record BioPrOptions
{
    /// <summary>Feed the refined pose of frame i+1 back as the simulator's start pose for the next transition (paper Fig. 4).</summary>
    public bool Feedback { get; init; }

    /// <summary>With <see cref="Feedback"/>: whether the simulator keeps its own rates or restarts from the predicted ones.</summary>
    public FeedbackVelocity FeedbackVelocity { get; init; } = FeedbackVelocity.Simulated;

    /// <summary>
    /// Clamp predicted joint angles into the plant's joint limits before they enter the simulator: the soft limits would
    /// otherwise throw an out-of-range prediction back hard within one step, and IDNet never saw such states.
    /// </summary>
    public bool ClampToLimits { get; init; } = true;

    public BioPrWrist Wrist { get; init; } = BioPrWrist.Zero;

    /// <summary>
    /// Carry muscle activations from one frame to the next (only the skeleton is reset to the prediction), as in IDNet's
    /// training episodes where the musculotendon state is continuous. False relaxes every muscle at every frame.
    /// </summary>
    public bool KeepActivations { get; init; } = true;

    /// <summary>
    /// The "interpolate" of the paper's "interpolates and differentiates the poses" (Fig. 4): before the simulator sees
    /// the predicted trajectory, its joint angles are averaged over a centred window of this d (Eq. 11's window, d/2
    /// frames each side, truncated at the ends), and the rates are central differences of that curve. 0 (default) feeds
    /// the raw prediction. Only the simulator's input changes: RefineNet still sees the raw prediction next to the
    /// reference, so it can undo the window's lag where the hand moves fast. Per-frame jitter otherwise reaches IDNet as
    /// rate noise of jitter × fps, demanding muscle bursts no hand makes (the paper, Sec. 6.4, on smoothing "reduces
    /// sudden changes in muscle stimulation").
    /// </summary>
    public int InputWindow { get; init; }

    /// <summary>Sequences simulated together, one hand each (the design's 64-agent batch).</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The control step IDNet was trained at (s); a frame interval is split into control steps near this length.</summary>
    public double TrainedControlStep { get; init; } = 0.02;

    /// <summary>Physics step (s) the substeps aim at (MyoHand's 2 ms); the exact step divides the control step evenly.</summary>
    public double PhysicsTimeStep { get; init; } = 0.002;

    public BioPrOptions Validate()
    {
        Check(BatchSize is >= 1 and <= 4096, nameof(BatchSize), BatchSize);
        Check(InputWindow is >= 0 and <= 1000, nameof(InputWindow), InputWindow);
        Check(double.IsFinite(TrainedControlStep) && TrainedControlStep is > 0 and <= 1, nameof(TrainedControlStep), TrainedControlStep);
        Check(double.IsFinite(PhysicsTimeStep) && PhysicsTimeStep is > 0 and <= 0.02, nameof(PhysicsTimeStep), PhysicsTimeStep);
        Check(PhysicsTimeStep <= TrainedControlStep, nameof(PhysicsTimeStep), PhysicsTimeStep);
        Check(Enum.IsDefined(Wrist), nameof(Wrist), Wrist);
        Check(Enum.IsDefined(FeedbackVelocity), nameof(FeedbackVelocity), FeedbackVelocity);
        return this;
    }

    private static void Check(bool ok, string name, object value)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"BioPrOptions.{name} = {value} is out of range.");
        }
    }
}
