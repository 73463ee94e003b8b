namespace MsMano.Evaluation.Datasets.MotionSources;

/// <summary>A motion-source spec could not be used; the message names the whole spec and the part that is wrong.</summary>
public sealed class MotionSpecException : ArgumentException
{
    public MotionSpecException(string spec, string part, string problem, Exception? inner = null)
        : base($"motion spec '{spec}': {part}: {problem}", inner)
    {
        Spec = spec;
        Part = part;
        Problem = problem;
    }

    public string Spec { get; }

    public string Part { get; }

    public string Problem { get; }
}
