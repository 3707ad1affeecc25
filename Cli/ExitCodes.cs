namespace InnerEye.Cli;

/// <summary>The exit status of every innereye command.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>Anything else: an output that cannot be written, a bug.</summary>
    public const int Failure = 1;

    /// <summary>Bad arguments, or an input (upload, model, audit file) that is unreadable or invalid.</summary>
    public const int InputProblem = 2;

    public const string Help = "exit codes: 0 ok; 2 input problem (bad arguments, an unreadable or invalid upload, model or file); 1 anything else";
}
