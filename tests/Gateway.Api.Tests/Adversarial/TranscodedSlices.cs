using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Gateway.Api.Tests.Adversarial;

/// <summary>
/// The phantom series in each transfer syntax the Imaging library decodes, transcoded by dcmtk and GDCM as the Imaging
/// tests do. A syntax whose tool is missing is left out and named in <see cref="Missing"/> (reported loudly; in CI the
/// tool check fails).
/// </summary>
public sealed record TranscodedSlices(IReadOnlyDictionary<string, IReadOnlyList<(string Name, byte[] Bytes)>> Series, IReadOnlyList<string> Missing)
{
    /// <summary>Syntax name → the tool and options that write it from Explicit VR Little Endian; no tool: the original files.</summary>
    public static readonly (string Syntax, string? Tool, string[] Options)[] Syntaxes =
    [
        ("explicit-le", null, []),
        ("implicit-le", "dcmconv", ["--write-xfer-implicit"]),
        ("big-endian", "dcmconv", ["--write-xfer-big"]),
        ("deflated", "dcmconv", ["--write-xfer-deflated"]),
        ("rle", "dcmcrle", []),
        ("jpeg-lossless", "dcmcjpeg", ["--encode-lossless-sv1"]),
        ("jpeg-ls", "dcmcjpls", ["--encode-lossless"]),
        ("j2k", "gdcmconv", ["--j2k"]),
    ];

    public static TranscodedSlices Of(PhantomSlices phantom)
    {
        var series = new Dictionary<string, IReadOnlyList<(string, byte[])>>(StringComparer.Ordinal);
        var missing = new List<string>();
        using var dir = new TempDirectory();
        var sources = phantom.Files.Select(f =>
        {
            var path = dir.NewPath(f.Name.Replace('/', '-'));
            File.WriteAllBytes(path, f.Bytes);
            return (f.Name, Path: path);
        }).ToList();
        foreach (var (syntax, tool, options) in Syntaxes)
        {
            if (tool is null)
            {
                series[syntax] = phantom.Files;
                continue;
            }
            if (!ExternalProcess.IsInstalled(tool))
            {
                if (ExternalProcess.InCI) ExternalProcess.Available(tool); // fails: in CI every transcoder must be there
                missing.Add($"{syntax} ({tool})");
                continue;
            }
            series[syntax] = sources.Select(s =>
            {
                var output = dir.NewPath($"{syntax}-{s.Name.Replace('/', '-')}");
                ExternalProcess.Run(tool, [.. options, s.Path, output]);
                return (s.Name, File.ReadAllBytes(output));
            }).ToList();
        }
        return new TranscodedSlices(series, missing);
    }
}
