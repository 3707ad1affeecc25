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
}
