namespace MsMano.Learning.Ppo;

/// <summary>
/// PPO hyper-parameters for IDNet. Defaults follow the authors' stable-baselines3 configuration (MS-MANO's public code):
/// lr 3e-4, 4 epochs, entropy 0.001, pi/vf [256, 256], ReLU, batch 16,384 transitions per update.
/// </summary>
public sealed record PpoConfig
{
    /// <summary>Observation width per agent (paper: 16 joints × 3 × 4 = 192).</summary>
    public int ObservationSize { get; init; } = 192;

    /// <summary>Muscle excitations per agent (31 finger/thumb muscles).</summary>
    public int ActionSize { get; init; } = 31;

    /// <summary>Hidden widths shared by the policy and the value net (authors: [256, 256]).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = new[] { 256, 256 };

    /// <summary>Initial Adam learning rate; the KL-adaptive schedule moves it from here.</summary>
    public double LearningRate { get; init; } = 3e-4;

    /// <summary>Passes over each batch.</summary>
    public int Epochs { get; init; } = 4;

    /// <summary>
    /// Transitions per gradient step. The authors set SB3's batch_size to the whole 16,384-transition rollout (one
    /// step per epoch); 4,096 gives four steps per epoch, which learns more per batch while each matmul stays large
    /// enough to keep the cores (or a GPU) busy. Set it to 16,384 to reproduce the authors' exact schedule.
    /// </summary>
    public int MinibatchSize { get; init; } = 4096;

    /// <summary>Discount factor.</summary>
    public double Gamma { get; init; } = 0.99;

    /// <summary>GAE λ.</summary>
    public double GaeLambda { get; init; } = 0.95;

    /// <summary>PPO ratio clip ε.</summary>
    public double ClipRange { get; init; } = 0.2;

    /// <summary>
    /// Optional clip of the value prediction around the rollout value (PPO2 style); null = plain MSE, as SB3's default.
    /// </summary>
    public double? ValueClipRange { get; init; }

    /// <summary>Weight of the value loss.</summary>
    public double ValueCoef { get; init; } = 0.5;

    /// <summary>Weight of the entropy bonus (authors: 0.001).</summary>
    public double EntropyCoef { get; init; } = 0.001;

    /// <summary>Global gradient-norm clip over all trainable parameters.</summary>
    public double MaxGradNorm { get; init; } = 0.5;

    /// <summary>Target approximate KL per epoch for the adaptive learning rate.</summary>
    public double TargetKl { get; init; } = 0.01;

    /// <summary>When false the learning rate stays at <see cref="LearningRate"/>.</summary>
    public bool AdaptiveLearningRate { get; init; } = true;

    /// <summary>Lower clamp of the adaptive learning rate.</summary>
    public double MinLearningRate { get; init; } = 1e-6;

    /// <summary>Upper clamp of the adaptive learning rate.</summary>
    public double MaxLearningRate { get; init; } = 1e-2;

    /// <summary>Initial value of the state-independent log standard deviation (SB3 default 0 → σ = 1).</summary>
    /// <summary>
    /// Starting value of every action mean (the mean head's bias). 0 is SB3's default; IDNet training starts from
    /// relaxed muscles (-1 maps to excitation 0), because half-excited muscles pull ten times harder than any motion needs.
    /// </summary>
    public double InitialActionMean { get; init; }

    public double InitialLogStd { get; init; } = 0.0;

    /// <summary>Clip applied to normalised observations.</summary>
    public double ObservationClip { get; init; } = 10.0;

    /// <summary>Added to the running variance before the square root.</summary>
    public double ObservationEpsilon { get; init; } = 1e-8;

    /// <summary>Adam ε (SB3 uses 1e-5 for PPO).</summary>
    public double AdamEpsilon { get; init; } = 1e-5;

    /// <summary>Seed for weight initialisation and minibatch shuffling.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>"auto" (CUDA when TorchSharp sees a GPU, else CPU), "cpu" or "cuda".</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad field and its value.</summary>
    public PpoConfig Validate()
    {
        Positive(nameof(ObservationSize), ObservationSize);
        Positive(nameof(ActionSize), ActionSize);
        if (Hidden is null || Hidden.Count == 0)
        {
            throw new ArgumentException("PpoConfig.Hidden must list at least one layer width.", nameof(Hidden));
        }
        for (int i = 0; i < Hidden.Count; i++)
        {
            if (Hidden[i] <= 0)
            {
                throw new ArgumentException($"PpoConfig.Hidden[{i}] must be positive, was {Hidden[i]}.", nameof(Hidden));
            }
        }
        PositiveFinite(nameof(LearningRate), LearningRate);
        Positive(nameof(Epochs), Epochs);
        Positive(nameof(MinibatchSize), MinibatchSize);
        UnitInterval(nameof(Gamma), Gamma);
        UnitInterval(nameof(GaeLambda), GaeLambda);
        PositiveFinite(nameof(ClipRange), ClipRange);
        if (ValueClipRange is { } vc)
        {
            PositiveFinite(nameof(ValueClipRange), vc);
        }
        NonNegativeFinite(nameof(ValueCoef), ValueCoef);
        NonNegativeFinite(nameof(EntropyCoef), EntropyCoef);
        PositiveFinite(nameof(MaxGradNorm), MaxGradNorm);
        PositiveFinite(nameof(TargetKl), TargetKl);
        PositiveFinite(nameof(MinLearningRate), MinLearningRate);
        PositiveFinite(nameof(MaxLearningRate), MaxLearningRate);
        if (MinLearningRate > MaxLearningRate)
        {
            throw new ArgumentException(
                $"PpoConfig.MinLearningRate ({MinLearningRate}) must not exceed MaxLearningRate ({MaxLearningRate}).",
                nameof(MinLearningRate));
        }
        if (AdaptiveLearningRate && (LearningRate < MinLearningRate || LearningRate > MaxLearningRate))
        {
            throw new ArgumentException(
                $"PpoConfig.LearningRate ({LearningRate}) must lie in [MinLearningRate, MaxLearningRate] = " +
                $"[{MinLearningRate}, {MaxLearningRate}].", nameof(LearningRate));
        }
        if (!double.IsFinite(InitialActionMean))
        {
            throw new ArgumentException($"PpoConfig.InitialActionMean must be finite, was {InitialActionMean}.", nameof(InitialActionMean));
        }
        if (!double.IsFinite(InitialLogStd))
        {
            throw new ArgumentException($"PpoConfig.InitialLogStd must be finite, was {InitialLogStd}.", nameof(InitialLogStd));
        }
        PositiveFinite(nameof(ObservationClip), ObservationClip);
        PositiveFinite(nameof(ObservationEpsilon), ObservationEpsilon);
        PositiveFinite(nameof(AdamEpsilon), AdamEpsilon);
        string? device = Device?.Trim().ToLowerInvariant();
        if (device is not ("auto" or "cpu" or "cuda"))
        {
            throw new ArgumentException($"PpoConfig.Device must be 'auto', 'cpu' or 'cuda', was '{Device}'.", nameof(Device));
        }
        return this;
    }

    private static void Positive(string name, int value)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"PpoConfig.{name} must be positive, was {value}.", name);
        }
    }

    private static void PositiveFinite(string name, double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentException($"PpoConfig.{name} must be a positive finite number, was {value}.", name);
        }
    }

    private static void NonNegativeFinite(string name, double value)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentException($"PpoConfig.{name} must be a non-negative finite number, was {value}.", name);
        }
    }

    private static void UnitInterval(string name, double value)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentException($"PpoConfig.{name} must lie in [0, 1], was {value}.", name);
        }
    }
}
