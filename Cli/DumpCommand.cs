using System.CommandLine;
using InnerEye.Imaging.Dicom;

namespace InnerEye.Cli;

/// <summary><c>innereye dump FILE</c>: the elements of one DICOM file.</summary>
public static class DumpCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "A DICOM file." };
        var command = new Command("dump", "List the elements of one DICOM file.") { file };
        command.SetAction(r =>
        {
            var read = DicomReader.ReadFile(r.GetRequiredValue(file));
            var stdout = r.Out();
            stdout.WriteLine($"# {read.TransferSyntax}");
            if (read.Meta is not null) stdout.Write(DicomDump.Format(read.Meta));
            stdout.Write(DicomDump.Format(read.Dataset));
            return ExitCodes.Ok;
        });
        return command;
    }
}
