namespace InnerEye.Imaging.Seg;

/// <summary>
/// SNOMED CT codes (scheme SCT) for common TG-263 structure names, as the Segmentation's
/// SegmentedPropertyCategoryCodeSequence (CID 7150) and SegmentedPropertyTypeCodeSequence (CID 7151). Sided structures
/// use the unsided type with a CID 244 laterality modifier (Left 7771000, Right 24028007, Bilateral 51440002), as CID
/// 7151 lists the unsided concepts. Names are matched ignoring case. A name not in the table is category and type
/// "Tissue" (85756007), which both CIDs hold.
/// </summary>
public static class SegmentCodes
{
    public static readonly SegCode AnatomicalStructure = new("123037004", "SCT", "Anatomical Structure");
    public static readonly SegCode Tissue = new("85756007", "SCT", "Tissue");
    public static readonly SegCode Left = new("7771000", "SCT", "Left");
    public static readonly SegCode Right = new("24028007", "SCT", "Right");
    public static readonly SegCode Bilateral = new("51440002", "SCT", "Bilateral");

    /// <summary>The label map's background (CID 7151 holds it), described as segment 0.</summary>
    public static readonly SegCode Background = new("125040", "DCM", "Background");

    /// <summary>The fallback for names the table does not hold.</summary>
    public static readonly SegmentCode Unknown = new(Tissue, Tissue);

    private static readonly Dictionary<string, SegmentCode> Table = Build();

    /// <summary>The code a caller gave, else the table's code for the name, else <see cref="Unknown"/>.</summary>
    public static SegmentCode For(SegSegment segment) => segment.Code ?? Lookup(segment.Label) ?? Unknown;

    /// <summary>The table's code for a TG-263 name, or null.</summary>
    public static SegmentCode? Lookup(string name) => Table.GetValueOrDefault(name.Trim());

    /// <summary>Every name the table knows, for documentation and tests.</summary>
    public static IReadOnlyCollection<string> Names => Table.Keys;

    private static Dictionary<string, SegmentCode> Build()
    {
        var table = new Dictionary<string, SegmentCode>(StringComparer.OrdinalIgnoreCase);
        void Organ(string code, string meaning, params string[] names)
        {
            var type = new SegCode(code, "SCT", meaning);
            foreach (var n in names) table.Add(n, new SegmentCode(AnatomicalStructure, type));
        }
        void Sided(string code, string meaning, string stem, string? both = null)
        {
            var type = new SegCode(code, "SCT", meaning);
            table.Add(stem, new SegmentCode(AnatomicalStructure, type));
            table.Add(stem + "_L", new SegmentCode(AnatomicalStructure, type, Left));
            table.Add(stem + "_R", new SegmentCode(AnatomicalStructure, type, Right));
            if (both is not null) table.Add(both, new SegmentCode(AnatomicalStructure, type, Bilateral));
        }

        Sided("39607008", "Lung", "Lung", "Lungs");
        Sided("64033007", "Kidney", "Kidney", "Kidneys");
        Sided("45289007", "Parotid gland", "Parotid", "Parotids");
        Sided("2812003", "Head of femur", "Femur_Head");
        Sided("71341001", "Femur", "Femur");
        Sided("81745001", "Eye", "Eye");
        Sided("78076003", "Lens", "Lens");
        Sided("18234004", "Optic nerve", "OpticNrv");
        Sided("54019009", "Submandibular gland", "Glnd_Submand");
        Sided("36582005", "Brachial plexus", "BrachialPlex");
        Sided("5366008", "Hippocampus", "Hippocampus");
        Sided("76752008", "Breast", "Breast");
        Organ("80891009", "Heart", "Heart");
        Organ("32849002", "Esophagus", "Esophagus");
        Organ("2748008", "Spinal cord", "SpinalCord");
        Organ("10200004", "Liver", "Liver");
        Organ("89837001", "Bladder", "Bladder");
        Organ("34402009", "Rectum", "Rectum");
        Organ("41216001", "Prostate", "Prostate");
        Organ("119238007", "Brain stem", "Brainstem");
        Organ("78961009", "Spleen", "Spleen");
        Organ("69695003", "Stomach", "Stomach");
        Organ("12738006", "Brain", "Brain");
        Organ("38266002", "Entire body", "Body", "External", "BODY_EXTERNAL");
        Organ("44567001", "Trachea", "Trachea");
        Organ("15776009", "Pancreas", "Pancreas");
        Organ("38848004", "Duodenum", "Duodenum");
        Organ("30315005", "Small intestine", "Bowel_Small");
        Organ("71854001", "Colon", "Colon");
        Organ("15825003", "Aorta", "Aorta");
        Organ("4596009", "Larynx", "Larynx");
        Organ("69748006", "Thyroid", "Glnd_Thyroid", "Thyroid");
        Organ("91609006", "Mandible", "Bone_Mandible", "Mandible");
        Organ("244453006", "Optic chiasm", "OpticChiasm");
        Organ("74262004", "Oral cavity", "Cavity_Oral");
        Organ("13648007", "Urethra", "Urethra");
        Organ("64739004", "Seminal Vesicle", "SeminalVes");
        Organ("56329008", "Pituitary", "Pituitary");
        Organ("113305005", "Cerebellum", "Cerebellum");
        Organ("28231008", "Gallbladder", "Gallbladder");
        Organ("54735007", "Sacrum", "Sacrum");
        Organ("18911002", "Penis", "PenileBulb");
        return table;
    }
}
