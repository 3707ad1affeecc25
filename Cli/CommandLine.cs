using InnerEye.Imaging;
using InnerEye.Imaging.Dicom;

namespace InnerEye.Cli;

/// <summary>The innereye command: parses the verb and hands over to the command class for it.</summary>
public static class CommandLine
{
    public const int Ok = 0;
    public const int Usage = 64;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            await stdout.WriteLineAsync(HelpText);
            return args.Length == 0 ? Usage : Ok;
        }
        try
        {
            return args[0] switch
            {
                "inspect" => await InspectCommand.RunAsync(args[1..], stdout, stderr),
                "phantom" => await PhantomCommand.RunAsync(args[1..], stdout, stderr),
                "segment" => await SegmentCommand.RunAsync(args[1..], stdout, stderr),
                "models" => await ModelsCommand.RunAsync(args[1..], stdout, stderr),
                "dump" => Dump(args[1..], stdout, stderr),
                _ => await Fail(stderr, $"Unknown command '{args[0]}'.\n\n{HelpText}"),
            };
        }
        catch (ImagingException ex)
        {
            await stderr.WriteLineAsync($"error [{ex.Code}]: {ex.Message}");
            return 2;
        }
    }

    private static int Dump(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length != 1)
        {
            stderr.WriteLine("usage: innereye dump FILE");
            return Usage;
        }
        var file = DicomReader.ReadFile(args[0]);
        stdout.WriteLine($"# {file.TransferSyntax}");
        if (file.Meta is not null) stdout.Write(DicomDump.Format(file.Meta));
        stdout.Write(DicomDump.Format(file.Dataset));
        return Ok;
    }

    private static async Task<int> Fail(TextWriter stderr, string message)
    {
        await stderr.WriteLineAsync(message);
        return Usage;
    }

    public const string HelpText = """
        usage: innereye <command> [options]

        commands:
          inspect PATH [--json]   list the channels and series of a gateway zip or a folder of DICOM files,
                                  their geometry and every problem found (exit 0 when each channel has a
                                  usable volume, 2 otherwise)
          segment PATH --model ID[:VERSION] --out rt.dcm [--seg seg.dcm [--seg-form binary|labelmap]]
                  [--labels out.nii.gz] [--probabilities out.npy] [--device auto|cpu|cuda] [--models DIR]
                                  segment a gateway zip or folder offline and write the RT Structure Set (and a
                                  DICOM Segmentation, BINARY or label map, the labels as NIfTI, the class
                                  probabilities [K, z, y, x] as numpy float32)
          phantom --seed N --out DIR [--rows R --cols C --slices Z --spacing sx,sy,sz] [--feet-first] [--zip]
                                  write a synthetic thorax CT series (DIR/ct/<i>, with --zip also DIR/scan.zip)
                                  and its ground truth (DIR/labels.nii.gz, DIR/phantom.json)
          models import-nnunet FOLDER --id ID --out DIR [--version V] [--configuration NAME]
                 [--folds 0,1,…|all] [--onnx-name model.onnx] [--no-mirroring | --mirror-axes 0,1]
                 [--step 0.5] [--batch-size N] [--structures FILE]
                                  import a trained nnU-Net v2 model folder (the configuration its checkpoints were
                                  trained with, every fold, the checkpoint's mirror axes unless told otherwise):
                                  writes DIR/ID.json and each fold's ONNX file as DIR/ID.fold_K.onnx, run as
                                  nnU-Net's predictor runs them (exit 0; 2 when the model cannot be imported,
                                  with the file and field at fault)
          dump FILE               list the elements of one DICOM file
        """;
}
