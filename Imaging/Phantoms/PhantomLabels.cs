namespace InnerEye.Imaging.Phantoms;

/// <summary>The ground-truth label values of the thorax phantom (uint8 on the CT grid).</summary>
public enum PhantomLabel : byte
{
    Background = 0,
    SpinalCord = 1,
    /// <summary>The patient's right lung (−x in DICOM patient coordinates).</summary>
    Lung_R = 2,
    Lung_L = 3,
    Heart = 4,
    /// <summary>The whole oesophageal tube, its air lumen included.</summary>
    Esophagus = 5,
}

/// <summary>What each voxel of the phantom is made of; every tissue belongs to exactly one label.</summary>
public enum PhantomTissue : byte
{
    OutsideAir,
    Fat,
    Muscle,
    LungRight,
    LungLeft,
    LungVesselRight,
    LungVesselLeft,
    Heart,
    EsophagusWall,
    EsophagusLumen,
    CancellousBone,
    CorticalBone,
    Disc,
    Csf,
    SpinalCord,
}

public static class PhantomStructures
{
    /// <summary>Structure names in label order: index 0 is label 1.</summary>
    public static readonly IReadOnlyList<string> Names = ["SpinalCord", "Lung_R", "Lung_L", "Heart", "Esophagus"];

    public static PhantomLabel LabelOf(PhantomTissue tissue) => tissue switch
    {
        PhantomTissue.SpinalCord => PhantomLabel.SpinalCord,
        PhantomTissue.LungRight or PhantomTissue.LungVesselRight => PhantomLabel.Lung_R,
        PhantomTissue.LungLeft or PhantomTissue.LungVesselLeft => PhantomLabel.Lung_L,
        PhantomTissue.Heart => PhantomLabel.Heart,
        PhantomTissue.EsophagusWall or PhantomTissue.EsophagusLumen => PhantomLabel.Esophagus,
        _ => PhantomLabel.Background,
    };

    /// <summary>
    /// The phantom's labels on a series loaded from its slices, in that series' slice order (each slice matched to the
    /// phantom slice at its position), as writers of derived objects take them.
    /// </summary>
    public static byte[] InSliceOrderOf(ThoraxPhantom phantom, Series.LoadedSeries series)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        ArgumentNullException.ThrowIfNull(series);
        var v = series.Volume;
        var labels = new byte[v.VoxelCount];
        for (var z = 0; z < v.SizeZ; z++)
        {
            var p = series.Slices[z].Position;
            var k = Enumerable.Range(0, phantom.Geometry.Slices).Single(k =>
            {
                var q = phantom.Geometry.SlicePosition(k);
                return Math.Abs(q[0] - p[0]) + Math.Abs(q[1] - p[1]) + Math.Abs(q[2] - p[2]) < 1e-3;
            });
            phantom.Labels[k].CopyTo(labels.AsSpan(z * v.SliceLength));
        }
        return labels;
    }
}
