using System.Text;

namespace InnerEye.Imaging.Dicom;

/// <summary>A dcmdump-style text listing of a data set, for people and for tests.</summary>
public static class DicomDump
{
    public static string Format(DicomDataset dataset, int maxValueChars = 64)
    {
        var text = new StringBuilder();
        Append(text, dataset, 0, maxValueChars);
        return text.ToString();
    }

    private static void Append(StringBuilder text, DicomDataset dataset, int depth, int maxValueChars)
    {
        foreach (var e in dataset.Elements)
        {
            text.Append(' ', depth * 2).Append(e.Tag).Append(' ').Append(DicomVRInfo.Name(e.VR)).Append(' ');
            if (e.IsSequence)
            {
                var items = dataset.Items(e);
                text.Append($"{DicomDictionary.KeywordOf(e.Tag)} ({items.Count} items)\n");
                foreach (var item in items) Append(text, item, depth + 1, maxValueChars);
                continue;
            }
            var fragments = dataset.Fragments(e);
            string value;
            if (fragments is not null) value = $"<{fragments.Count} fragments>";
            else if (DicomVRInfo.IsString(e.VR)) value = $"[{dataset.GetString(e.Tag)}]";
            else value = $"<{e.Length} bytes>";
            if (value.Length > maxValueChars) value = value[..maxValueChars] + "...";
            text.Append(DicomDictionary.KeywordOf(e.Tag)).Append(' ').Append(value).Append('\n');
        }
    }
}
