using System.CommandLine;

namespace InnerEye.Cli;

/// <summary>The writers a verb prints to: those <see cref="CommandLine.RunAsync"/> was given.</summary>
internal static class CommandOutput
{
    public static TextWriter Out(this ParseResult result) => result.InvocationConfiguration.Output;

    public static TextWriter Error(this ParseResult result) => result.InvocationConfiguration.Error;

    /// <summary>Whether the error writer is a terminal, where progress may redraw a line in place.</summary>
    public static bool ErrorIsTerminal(this ParseResult result) =>
        ReferenceEquals(result.Error(), Console.Error) && !Console.IsErrorRedirected;
}
