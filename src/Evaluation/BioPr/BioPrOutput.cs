using MsMano.Evaluation.Datasets.PoseFiles;

namespace MsMano.Evaluation.BioPr;

/// <summary>
/// BioPR's result for one sequence, frame-aligned with its prediction: <see cref="Reference"/> [T x 48] is the simulated
/// reference pose p_ref (frame 0 has no transition and carries the limit-clamped prediction; the wrist entry is the
/// predicted wrist, which the simulator does not move); <see cref="Refined"/> [T x 48] is RefineNet's output when a
/// refiner was given. <see cref="NonFiniteFrames"/> counts transitions whose simulation went non-finite and fell back to
/// the prediction.
/// </summary>
public sealed record BioPrOutput(string Name, double Fps, float[] Reference, float[]? Refined, int NonFiniteFrames)
{
    public int Frames => Reference.Length / PoseAngles.PoseSize;

    public PoseSequence ReferenceSequence(bool synthetic) => new(Name + " [BioPR reference]", Reference, Fps, null, synthetic);

    public PoseSequence RefinedSequence(bool synthetic) =>
        new(Name + " [BioPR refined]", Refined ?? throw new InvalidOperationException($"BioPR ran without a refiner on '{Name}'; there is no refined pose."), Fps, null, synthetic);
}
