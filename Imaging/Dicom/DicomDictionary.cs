namespace InnerEye.Imaging.Dicom;

/// <summary>The standard data dictionary (PS3.6): the VR and keyword of every public tag, for implicit-VR data and messages.</summary>
internal static partial class DicomDictionary
{
    private readonly record struct RangeEntry(ushort GroupFirst, ushort GroupLast, ushort ElementFirst, ushort ElementLast, DicomVR VR,
        string Keyword);

    /// <summary>The VR an implicit-VR element of this tag is read as; UN for tags the dictionary does not know.</summary>
    public static DicomVR VROf(DicomTag tag)
    {
        if (tag.Element == 0x0000) return DicomVR.UL;
        if (tag.IsPrivate) return tag.IsPrivateCreator ? DicomVR.LO : DicomVR.UN;
        var i = Array.BinarySearch(Tags, tag.Value);
        if (i >= 0) return VRs[i];
        foreach (var r in Ranges)
        {
            if (Matches(r, tag)) return r.VR;
        }
        return DicomVR.UN;
    }

    public static string KeywordOf(DicomTag tag)
    {
        var i = Array.BinarySearch(Tags, tag.Value);
        if (i >= 0) return Keywords[i];
        foreach (var r in Ranges)
        {
            if (Matches(r, tag)) return r.Keyword;
        }
        return tag.IsPrivate ? "Private" : "Unknown";
    }

    /// <summary>The tag named by a PS3.6 keyword, for tools and tests.</summary>
    public static DicomTag? Find(string keyword)
    {
        var i = Array.IndexOf(Keywords, keyword);
        return i >= 0 ? new DicomTag(Tags[i]) : null;
    }

    private static bool Matches(RangeEntry r, DicomTag tag) =>
        tag.Group >= r.GroupFirst && tag.Group <= r.GroupLast && (tag.Group & 1) == (r.GroupFirst & 1)
        && tag.Element >= r.ElementFirst && tag.Element <= r.ElementLast;
}
