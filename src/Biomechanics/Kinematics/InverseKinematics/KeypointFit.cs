using MsMano.Biomechanics.Kinematics.Algebra;

namespace MsMano.Biomechanics.Kinematics.InverseKinematics;

/// <summary>
/// Result of fitting the hand to keypoints: 45 joint angles (within the limits), the root (palm) rotation and the wrist
/// centre in the keypoints' frame, the uniform scale applied to the model (1 unless estimated), the mean keypoint
/// distance left (in the keypoints' unit), and the number of accepted solver steps.
/// </summary>
public sealed record KeypointFit(double[] Angles, Mat3 RootRotation, Vec3 RootPosition, double Scale, double MeanError, int Iterations);
