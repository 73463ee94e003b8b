namespace MsMano.Cli.Errors;

/// <summary>A mistake in what the user gave (a flag, a setting, a file): reported as one line, exit code 2.</summary>
public sealed class UserError(string message, Exception? inner = null) : Exception(message, inner);
