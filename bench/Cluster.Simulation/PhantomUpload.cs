using InnerEye.Imaging.Phantoms;

namespace InnerEye.Cluster.Simulation;

/// <summary>The one small phantom CT every job uploads a copy of, in the gateway's zip layout.</summary>
public static class PhantomUpload
{
    public static byte[] Make(SimulationOptions options, string folder)
    {
        var phantom = ThoraxPhantom.Generate(new ThoraxPhantomOptions
        {
            Seed = options.Seed, Rows = options.Rows, Columns = options.Columns, Slices = options.Slices,
        });
        var written = PhantomWriter.Write(phantom, folder, writeFolder: false, writeZip: true);
        return File.ReadAllBytes(written.Zip!);
    }
}
