namespace MsMano.Biomechanics.Model;

/// <summary>An invalid hand model or model file; the message names the source, the JSON path and the value.</summary>
public sealed class HandModelException : Exception
{
    public HandModelException(string message) : base(message)
    {
    }

    public HandModelException(string message, Exception inner) : base(message, inner)
    {
    }
}
