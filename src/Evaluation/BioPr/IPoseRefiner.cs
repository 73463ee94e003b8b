namespace MsMano.Evaluation.BioPr;

/// <summary>Maps one frame's predicted pose and BioPR reference pose (both 48, MANO axis-angle) to a refined pose (48).</summary>
public interface IPoseRefiner
{
    void Refine(ReadOnlySpan<float> predicted, ReadOnlySpan<float> reference, Span<float> refined);
}
