using System.Globalization;
using MsMano.Biomechanics.Dynamics;
using MsMano.Biomechanics.Mano;
using MsMano.Biomechanics.Model;
using MsMano.Biomechanics.Shape;
using MsMano.Environments.IdNet;
using MsMano.Environments.Motion;
using MsMano.Environments.Rollouts;
using MsMano.Environments.Synthetic;
using MsMano.Evaluation.Datasets;
using MsMano.Evaluation.Datasets.MotionSources;
using MsMano.Learning.Ppo;
using MsMano.Learning.Training;
using MsMano.ModelFormats.Mano;
using Serilog;

namespace MsMano.Cluster.Simulation;

/// <summary>
/// What a simulation node steps: <c>idnet</c> (the MS-MANO hand in the IDNet environment, the real job) or
/// <c>synthetic</c> (a cheap target-tracking task that isolates transport and learner costs in benchmarks).
/// Learner and simulation nodes must agree on it, since it fixes the observation and action sizes.
/// </summary>
public sealed record SimSourceOptions
{
    public const string IdNet = "idnet";
    public const string Synthetic = "synthetic";

    public string Environment { get; init; } = IdNet;

    /// <summary>Training motion spec for <c>idnet</c> (see MotionCatalog).</summary>
    public string Motion { get; init; } = "synthetic:clips=256,seed=1";

    /// <summary>192-number observation with the wrist (the paper) or 180 without.</summary>
    public bool IncludeWrist { get; init; } = true;

    public ulong Seed { get; init; } = 1;

    /// <summary>The user's MANO_RIGHT.pkl: DexYCB motions (PCA basis) and <see cref="ShapeSpread"/> need it.</summary>
    public string? ManoModelPath { get; init; }

    /// <summary>σ of the β each actor's hand is drawn from (<see cref="Biomechanics.Shape.ShapeSpread"/>); 0 = the shipped hand everywhere.</summary>
    public double ShapeSpread { get; init; }

    /// <summary>Motion-file pose components beyond ±4π rad: refused (default) or clamped with one warning per file (<c>--clamp-poses</c>).</summary>
    public OutOfRangePoses OutOfRangePoses { get; init; } = OutOfRangePoses.Refuse;

    public SimSourceOptions Validate()
    {
        new ShapeSpread(ShapeSpread).Validate();
        if (ShapeSpread > 0 && string.IsNullOrWhiteSpace(ManoModelPath))
        {
            throw new ArgumentException("--shape-spread needs --mano <MANO_RIGHT.pkl>: beta act through MANO's shape blend shapes and joint regressor, which are licensed and never shipped.");
        }
        if (Environment is not (IdNet or Synthetic))
        {
            throw new ArgumentException($"environment '{Environment}' is unknown; use '{IdNet}' or '{Synthetic}'.", nameof(Environment));
        }
        return this;
    }

    public int ObservationSize => Environment == IdNet ? IdNetObservation.Size(IncludeWrist) : SyntheticObservationSize;

    public int ActionSize => Environment == IdNet ? IdNetEnvironmentOptions.ActionSize : SyntheticActionSize;

    private const int SyntheticObservationSize = 8;
    private const int SyntheticActionSize = 2;

    /// <summary>The range of every rollout field this environment can produce (IDNet: rewards in [0, 1], angles and rates bounded).</summary>
    public RolloutBounds Bounds() => Environment == IdNet ? RolloutBounds.IdNet(ObservationSize) : RolloutBounds.Generic;

    /// <summary>PPO defaults for this environment, sized to it (users override through MsMano:Ppo).</summary>
    public PpoConfig Ppo()
    {
        PpoConfig baseline = Environment == IdNet
            ? IdNetTrainingDefaults.Ppo
            : new PpoConfig { Hidden = [64, 64], LearningRate = 3e-3, EntropyCoef = 0.0, TargetKl = 0.02 };
        return baseline with { ObservationSize = ObservationSize, ActionSize = ActionSize, Seed = (int)(Seed % int.MaxValue) };
    }
}

/// <summary>Builds the rollout sources of one node; the hand model and motions are loaded once and shared read-only.</summary>
public static class SimSources
{
    public static Func<int, IRolloutSource> Factory(SimSourceOptions options, int agents, string nodeId)
    {
        return Factories(options, agents)(nodeId);
    }

    /// <summary>
    /// Per node id, its actors' factory. The hand, the motions and the MANO model are loaded here, once, so a process
    /// holding several nodes (<c>embedded</c>) reads (and warns about) each motion file once, before any node starts.
    /// </summary>
    public static Func<string, Func<int, IRolloutSource>> Factories(SimSourceOptions options, int agents)
    {
        options.Validate();
        if (options.Environment == SimSourceOptions.Synthetic)
        {
            return nodeId => actorId => new TargetTrackingSource(agents, options.ObservationSize, options.ActionSize, (int)((NodeSeed(options, nodeId) + (ulong)actorId) % int.MaxValue));
        }
        HandModel model = HandModelFile.LoadDefault();
        var plant = new HandPlant(model);
        IReadOnlyList<ReferenceMotion> motions = MotionCatalog.Load(options.Motion,
            new MotionCatalogOptions { Model = model, ManoModelPath = options.ManoModelPath, OutOfRangePoses = options.OutOfRangePoses });
        var environment = new IdNetEnvironmentOptions { IncludeWrist = options.IncludeWrist };
        var spread = new ShapeSpread(options.ShapeSpread);
        ManoModel? mano = spread.IsOn ? ManoModelFile.Load(options.ManoModelPath!) : null;
        return nodeId => actorId =>
        {
            ulong nodeSeed = NodeSeed(options, nodeId);
            ulong seed = nodeSeed * 7919UL + (ulong)actorId;
            HandPlant hand = spread.IsOn ? new HandPlant(ActorHand(spread, model, mano, nodeId, actorId, seed)) : plant;
            return new IdNetRolloutSource(hand, motions, agents, environment, seed);
        };
    }

    /// <summary>The hand one actor simulates under a shape spread; the shape seed is the actor's environment seed, decorrelated.</summary>
    public static HandModel ActorHand(ShapeSpread spread, HandModel baseModel, ManoModel? mano, string nodeId, int actorId, ulong actorSeed)
    {
        HandModel hand = spread.Hand(baseModel, mano, actorSeed ^ 0x5348415045UL, out double[] betas);
        if (spread.IsOn)
        {
            Log.Information("Simulation {Node}/{Actor}: hand on MANO beta [{Betas}] drawn from {Distribution}",
                nodeId, actorId, string.Join(", ", betas.Select(b => b.ToString("F2", CultureInfo.InvariantCulture))), spread.Distribution);
        }
        return hand;
    }

    // Distinct, reproducible seeds per node and actor (string.GetHashCode is randomised per process).
    private static ulong NodeSeed(SimSourceOptions options, string nodeId) => options.Seed * 1_000_003UL + Fnv(nodeId);

    private static ulong Fnv(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        return hash;
    }
}
