using MsMano.Biomechanics.Kinematics.Algebra;
using MsMano.Biomechanics.Mano;
using MsMano.Biomechanics.Model;

namespace MsMano.Biomechanics.Kinematics.InverseKinematics;

/// <summary>
/// Fits the hand to 21 keypoints (DexYCB / OakInk order, see <see cref="HandKinematics.KeypointOrder"/>).
/// The root comes first and in closed form: the wrist and the five first joints of the fingers hang on the palm alone,
/// so a Kabsch fit of those six points gives the palm's rotation and position. The 45 angles are then fitted by a
/// projected Levenberg-Marquardt on the forward keypoints with the exact Jacobian (d p / d q = axis x (p - joint centre)):
/// steps are clamped to the joint limits, and a dof resting on a limit that the gradient pushes further out is held for
/// that step, so the box constraint does not stall the solver. Warm-start from the previous frame for sequences.
/// </summary>
public sealed class KeypointInverseKinematics
{
    private const int K = HandKinematics.KeypointCount;
    private const int Dofs = HandModel.DofCount;

    /// <summary>Keypoints fixed to the palm: wrist, thumb CMC, index, middle, ring and little MCP.</summary>
    private static readonly int[] PalmKeypoints = [0, 1, 5, 9, 13, 17];

    /// <summary>Parent of each keypoint in the 21-keypoint tree (bones for the scale estimate).</summary>
    private static readonly int[] KeypointParents = [-1, 0, 1, 2, 3, 0, 5, 6, 7, 0, 9, 10, 11, 0, 13, 14, 15, 0, 17, 18, 19];

    private readonly HandKinematics _kinematics;
    private readonly KeypointIkOptions _options;
    private readonly DofLimits _limits;
    private readonly bool[,] _affects = new bool[HandModel.JointCount, K];
    private readonly Vec3[] _restKeypoints;

    public KeypointInverseKinematics(HandKinematics kinematics, KeypointIkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(kinematics);
        _options = options ?? new KeypointIkOptions();
        _options.Validate();
        _kinematics = kinematics;
        _limits = DofLimits.Of(kinematics.Model, _options.LimitMargin);
        _restKeypoints = kinematics.Keypoints(kinematics.Forward(new double[Dofs]));
        // A joint's rotation moves its descendants' centres and its own tip, never its own centre.
        for (int k = 0; k < K; k++)
        {
            int index = HandKinematics.KeypointOrder[k];
            bool tip = index >= HandModel.JointCount;
            int owner = tip ? kinematics.Model.Tips[index - HandModel.JointCount].Joint : index;
            for (int j = tip ? owner : kinematics.Parent(owner); j > 0; j = kinematics.Parent(j))
            {
                _affects[j, k] = true;
            }
        }
    }

    public HandKinematics Kinematics => _kinematics;

    public DofLimits Limits => _limits;

    /// <summary>
    /// Fits root and angles to one frame of 21 keypoints. <paramref name="initialAngles"/> (45, optional) is the start,
    /// typically the previous frame's fit; the rest pose otherwise.
    /// </summary>
    public KeypointFit Fit(IReadOnlyList<Vec3> keypoints, ReadOnlySpan<double> initialAngles = default)
    {
        CheckKeypoints(keypoints, nameof(keypoints));
        double scale = _options.EstimateScale ? EstimateScale(keypoints) : 1.0;
        // Fitting the model at scale s to targets equals fitting the unit model to targets shrunk by s about the wrist.
        Vec3 anchor = keypoints[0];
        var targets = new Vec3[K];
        for (int k = 0; k < K; k++)
        {
            targets[k] = anchor + (keypoints[k] - anchor) / scale;
        }
        var root = RigidFit.Kabsch(PalmKeypoints.Select(k => _restKeypoints[k]).ToArray(), PalmKeypoints.Select(k => targets[k]).ToArray());
        Vec3 rootPosition = root.Apply(_kinematics.RestCentre(0));
        double[] weights = new double[K];
        Array.Fill(weights, 1.0);
        KeypointFit fit = FitAngles(targets, weights, initialAngles, root.Rotation, rootPosition);
        // Report the pose of the scaled model in the caller's frame: scale the root position back about the anchor.
        return fit with
        {
            RootPosition = anchor + (fit.RootPosition - anchor) * scale,
            Scale = scale,
            MeanError = fit.MeanError * scale,
        };
    }

    /// <summary>Fits every frame in order, each warm-started from the previous fit.</summary>
    public IReadOnlyList<KeypointFit> FitSequence(IReadOnlyList<IReadOnlyList<Vec3>> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var fits = new List<KeypointFit>(frames.Count);
        double[]? previous = null;
        foreach (IReadOnlyList<Vec3> frame in frames)
        {
            KeypointFit fit = Fit(frame, previous);
            fits.Add(fit);
            previous = fit.Angles;
        }
        return fits;
    }

    /// <summary>
    /// The angle solver alone, with the root given: minimises sum_k (w_k |p_k(q) - target_k|)^2 over the dofs marked in
    /// <paramref name="freeDofs"/> (all when empty), the others kept at <paramref name="initialAngles"/>. A zero weight
    /// ignores a keypoint; with few weighted keypoints the damping keeps the answer near the start.
    /// </summary>
    public KeypointFit FitAngles(
        IReadOnlyList<Vec3> targets, ReadOnlySpan<double> weights, ReadOnlySpan<double> initialAngles,
        Mat3 rootRotation, Vec3 rootPosition, ReadOnlySpan<bool> freeDofs = default)
    {
        CheckKeypoints(targets, nameof(targets));
        if (weights.Length != K)
        {
            throw new ArgumentException($"Expected {K} keypoint weights, got {weights.Length}.", nameof(weights));
        }
        if (initialAngles.Length is not (0 or Dofs))
        {
            throw new ArgumentException($"Expected {Dofs} initial angles (or none), got {initialAngles.Length}.", nameof(initialAngles));
        }
        if (freeDofs.Length is not (0 or Dofs))
        {
            throw new ArgumentException($"Expected {Dofs} free-dof flags (or none), got {freeDofs.Length}.", nameof(freeDofs));
        }
        double[] w = weights.ToArray();
        if (w.Any(x => !(x >= 0) || !double.IsFinite(x)))
        {
            throw new ArgumentException("Keypoint weights must be finite and >= 0.", nameof(weights));
        }
        double[] q = new double[Dofs];
        if (initialAngles.Length == Dofs)
        {
            initialAngles.CopyTo(q);
            if (q.Any(x => !double.IsFinite(x)))
            {
                throw new ArgumentException("Initial angles must be finite.", nameof(initialAngles));
            }
        }
        _limits.Clamp(q);
        bool[] free = freeDofs.Length == Dofs ? freeDofs.ToArray() : Enumerable.Repeat(true, Dofs).ToArray();

        double[] residual = new double[3 * K];
        HandFrames frames = _kinematics.Forward(q, rootRotation, rootPosition);
        double cost = Cost(frames, targets, w, residual);
        double[] jacobian = new double[3 * K * Dofs];
        double[] gradient = new double[Dofs];
        double[] hessian = new double[Dofs * Dofs];
        int[] columns = new int[Dofs];
        double[] system = new double[Dofs * Dofs];
        double[] rhs = new double[Dofs];
        double[] step = new double[Dofs];
        double[] trial = new double[Dofs];
        double[] trialResidual = new double[3 * K];
        double lambda = _options.InitialDamping;
        double weightSum = w.Sum();
        int iterations = 0;
        while (iterations < _options.MaxIterations && Math.Sqrt(cost / Math.Max(weightSum, 1e-300)) > _options.ErrorTolerance)
        {
            Jacobian(frames, q, w, jacobian);
            NormalEquations(jacobian, residual, gradient, hessian);
            int n = 0;
            for (int d = 0; d < Dofs; d++)
            {
                bool pinnedLow = q[d] <= _limits.Lower(d) && gradient[d] > 0;
                bool pinnedHigh = q[d] >= _limits.Upper(d) && gradient[d] < 0;
                if (free[d] && !pinnedLow && !pinnedHigh)
                {
                    columns[n++] = d;
                }
            }
            if (n == 0)
            {
                break;
            }
            double maxDiagonal = 0;
            for (int i = 0; i < n; i++)
            {
                maxDiagonal = Math.Max(maxDiagonal, hessian[columns[i] * Dofs + columns[i]]);
            }
            bool accepted = false;
            double largestStep = 0;
            for (int attempt = 0; attempt < 16 && !accepted; attempt++)
            {
                for (int r = 0; r < n; r++)
                {
                    int dr = columns[r];
                    for (int c = 0; c < n; c++)
                    {
                        system[r * n + c] = hessian[dr * Dofs + columns[c]];
                    }
                    // Marquardt scaling, with a floor so a dof that moves no weighted keypoint stays put.
                    system[r * n + r] += lambda * (hessian[dr * Dofs + dr] + 1e-9 * maxDiagonal + 1e-18);
                    rhs[r] = -gradient[dr];
                }
                if (SpdSolver.TrySolve(system, n, rhs, step))
                {
                    Array.Copy(q, trial, Dofs);
                    for (int i = 0; i < n; i++)
                    {
                        trial[columns[i]] += step[i];
                    }
                    _limits.Clamp(trial);
                    HandFrames trialFrames = _kinematics.Forward(trial, rootRotation, rootPosition);
                    double trialCost = Cost(trialFrames, targets, w, trialResidual);
                    if (trialCost < cost)
                    {
                        largestStep = 0;
                        for (int d = 0; d < Dofs; d++)
                        {
                            largestStep = Math.Max(largestStep, Math.Abs(trial[d] - q[d]));
                        }
                        Array.Copy(trial, q, Dofs);
                        Array.Copy(trialResidual, residual, residual.Length);
                        frames = trialFrames;
                        cost = trialCost;
                        lambda = Math.Max(lambda / 3, 1e-12);
                        accepted = true;
                        break;
                    }
                }
                lambda *= 4;
            }
            if (!accepted)
            {
                break;
            }
            iterations++;
            if (largestStep < _options.StepTolerance)
            {
                break;
            }
        }
        return new KeypointFit(q, rootRotation, rootPosition, 1.0, MeanDistance(frames, targets, w), iterations);
    }

    /// <summary>Ratio of the targets' summed bone lengths to the model's (20 bones of the keypoint tree).</summary>
    public double EstimateScale(IReadOnlyList<Vec3> keypoints)
    {
        CheckKeypoints(keypoints, nameof(keypoints));
        double target = 0, model = 0;
        for (int k = 1; k < K; k++)
        {
            target += (keypoints[k] - keypoints[KeypointParents[k]]).Norm();
            model += (_restKeypoints[k] - _restKeypoints[KeypointParents[k]]).Norm();
        }
        if (!(target > 0))
        {
            throw new ArgumentException("The keypoints coincide; no hand size can be estimated.", nameof(keypoints));
        }
        return target / model;
    }

    private double Cost(HandFrames frames, IReadOnlyList<Vec3> targets, double[] w, double[] residual)
    {
        Vec3[] p = _kinematics.Keypoints(frames);
        double cost = 0;
        for (int k = 0; k < K; k++)
        {
            Vec3 r = (p[k] - targets[k]) * w[k];
            residual[3 * k] = r.X;
            residual[3 * k + 1] = r.Y;
            residual[3 * k + 2] = r.Z;
            cost += r.Dot(r);
        }
        return cost;
    }

    private double MeanDistance(HandFrames frames, IReadOnlyList<Vec3> targets, double[] w)
    {
        Vec3[] p = _kinematics.Keypoints(frames);
        double sum = 0, count = 0;
        for (int k = 0; k < K; k++)
        {
            if (w[k] > 0)
            {
                sum += (p[k] - targets[k]).Norm();
                count++;
            }
        }
        return count > 0 ? sum / count : 0;
    }

    /// <summary>Weighted Jacobian of the 63 keypoint coordinates by the 45 angles, row-major.</summary>
    private void Jacobian(HandFrames frames, double[] q, double[] w, double[] jacobian)
    {
        Array.Clear(jacobian);
        Vec3[] p = _kinematics.Keypoints(frames);
        for (int j = 1; j < HandModel.JointCount; j++)
        {
            int d0 = (j - 1) * 3;
            (Vec3 flex, Vec3 abd, Vec3 twist) = _kinematics.DofAxes(j, frames.Rotations[_kinematics.Parent(j)], q[d0], q[d0 + 1]);
            Vec3 centre = frames.Positions[j];
            for (int k = 0; k < K; k++)
            {
                if (!_affects[j, k] || w[k] == 0)
                {
                    continue;
                }
                Vec3 arm = p[k] - centre;
                Set(jacobian, k, d0, flex.Cross(arm) * w[k]);
                Set(jacobian, k, d0 + 1, abd.Cross(arm) * w[k]);
                Set(jacobian, k, d0 + 2, twist.Cross(arm) * w[k]);
            }
        }
    }

    private static void Set(double[] jacobian, int keypoint, int dof, Vec3 v)
    {
        jacobian[(3 * keypoint) * Dofs + dof] = v.X;
        jacobian[(3 * keypoint + 1) * Dofs + dof] = v.Y;
        jacobian[(3 * keypoint + 2) * Dofs + dof] = v.Z;
    }

    private static void NormalEquations(double[] jacobian, double[] residual, double[] gradient, double[] hessian)
    {
        Array.Clear(gradient);
        Array.Clear(hessian);
        for (int row = 0; row < 3 * K; row++)
        {
            int o = row * Dofs;
            double r = residual[row];
            for (int a = 0; a < Dofs; a++)
            {
                double ja = jacobian[o + a];
                if (ja == 0)
                {
                    continue;
                }
                gradient[a] += ja * r;
                for (int b = 0; b < Dofs; b++)
                {
                    hessian[a * Dofs + b] += ja * jacobian[o + b];
                }
            }
        }
    }

    private static void CheckKeypoints(IReadOnlyList<Vec3> keypoints, string name)
    {
        ArgumentNullException.ThrowIfNull(keypoints, name);
        if (keypoints.Count != K)
        {
            throw new ArgumentException($"Expected {K} keypoints, got {keypoints.Count}.", name);
        }
        for (int k = 0; k < K; k++)
        {
            Vec3 v = keypoints[k];
            if (!double.IsFinite(v.X) || !double.IsFinite(v.Y) || !double.IsFinite(v.Z))
            {
                throw new ArgumentException($"Keypoint {k} is {v} (not finite).", name);
            }
        }
    }
}
