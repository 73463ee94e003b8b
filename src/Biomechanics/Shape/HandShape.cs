namespace MsMano.Biomechanics.Shape;

/// <summary>
/// A hand shape relative to a base model: <see cref="LengthScale"/> stretches every bone chain (palm and fingers)
/// along its bones; <see cref="BreadthScale"/> widens the palm across (hand-frame x); optional MANO
/// <see cref="Betas"/> first place the joints where a MANO model puts them (needs the licensed MANO file).
/// </summary>
public sealed record HandShape(double LengthScale = 1.0, double BreadthScale = 1.0, double[]? Betas = null)
{
    public static readonly HandShape Identity = new();

    public void Validate()
    {
        if (!double.IsFinite(LengthScale) || LengthScale <= 0)
        {
            throw new ArgumentException($"HandShape.LengthScale = {LengthScale}: must be a positive finite number.");
        }
        if (!double.IsFinite(BreadthScale) || BreadthScale <= 0)
        {
            throw new ArgumentException($"HandShape.BreadthScale = {BreadthScale}: must be a positive finite number.");
        }
        if (Betas is not null && Betas.Any(b => !double.IsFinite(b)))
        {
            throw new ArgumentException("HandShape.Betas: every beta must be finite.");
        }
    }
}
