using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using InnerEye.Imaging;
using InnerEye.Inference;

namespace InnerEye.Cli;

/// <summary>
/// The innereye command: System.CommandLine parses every verb; a parse error prints the errors and the verb's usage and
/// exits <see cref="ExitCodes.InputProblem"/>, as do the imaging and model errors a verb throws.
/// </summary>
public static class CommandLine
{
    public static Command Build()
    {
        // A plain command named innereye rather than a RootCommand, whose name would be the host's (testhost under a test runner).
        var root = new Command("innereye",
            $"Segment CT/MR DICOM offline with the service's models, and check its models and audit trail.\n\n{ExitCodes.Help}")
        {
            new HelpOption { Description = $"Show help and usage information. {ExitCodes.Help}" },
            new VersionOption(),
            InspectCommand.Create(),
            SegmentCommand.Create(),
            PhantomCommand.Create(),
            ModelsCommand.Create(),
            AuditCommand.Create(),
            DumpCommand.Create(),
        };
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        var parsed = Build().Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var error in parsed.Errors) await stderr.WriteLineAsync($"error: {error.Message}");
            await stderr.WriteLineAsync(Usage(parsed.CommandResult.Command));
            return ExitCodes.InputProblem;
        }
        try
        {
            var configuration = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
            return await parsed.InvokeAsync(configuration, cancellationToken);
        }
        catch (ImagingException ex)
        {
            await stderr.WriteLineAsync($"error [{ex.Code}]: {ex.Message}");
            return ExitCodes.InputProblem;
        }
        catch (InferenceException ex)
        {
            await stderr.WriteLineAsync($"error [{ex.Code}]: {ex.Message}");
            return ExitCodes.InputProblem;
        }
        catch (Exception ex)
        {
            await stderr.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>"usage: innereye models import-nnunet FOLDER --id ID --out DIR [options]" and where the help is.</summary>
    public static string Usage(Command command)
    {
        var path = new List<string>();
        for (Symbol? s = command; s is Command c && c.Parents.Any(); s = s.Parents.FirstOrDefault()) path.Insert(0, c.Name);
        var parts = new List<string> { "innereye" };
        parts.AddRange(path);
        if (command.Subcommands.Count > 0) parts.Add($"<{string.Join('|', command.Subcommands.Select(c => c.Name))}>");
        parts.AddRange(command.Arguments.Select(a => a.HelpName ?? a.Name));
        parts.AddRange(command.Options.Where(o => o.Required).Select(o => $"{o.Name} {o.HelpName}"));
        if (command.Options.Any(o => !o.Required && o is not HelpOption and not VersionOption)) parts.Add("[options]");
        return $"usage: {string.Join(' ', parts)}\n(see '{string.Join(' ', ["innereye", .. path, "--help"])}')";
    }
}
