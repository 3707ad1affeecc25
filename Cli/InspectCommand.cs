namespace InnerEye.Cli;

public static class InspectCommand
{
    public static Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr) => Task.FromResult(2);
}
