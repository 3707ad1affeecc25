using InnerEye.Imaging.Dicom;

namespace InnerEye.Imaging.Tests.Support;

/// <summary>Our reader's element tree in the line format of tests/tools/pydicom_structure.py.</summary>
public static class StructureListing
{
    public static string Of(DicomDataset dataset)
    {
        var lines = new List<string>();
        Append(dataset, 0, lines);
        return string.Join('\n', lines);
    }

    /// <summary>Line-by-line equality, where an expected "bytes=?" (an element pydicom already decoded) matches any length.</summary>
    public static void AssertMatches(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (var i = 0; i < Math.Min(e.Length, a.Length); i++)
        {
            var wildcard = e[i].EndsWith(" bytes=?") && a[i].StartsWith(e[i][..^1]);
            if (!wildcard) Assert.Equal(e[i], a[i]);
        }
        Assert.Equal(e.Length, a.Length);
    }

    private static void Append(DicomDataset dataset, int depth, List<string> lines)
    {
        foreach (var e in dataset.Elements.OrderBy(e => e.Tag.Value))
        {
            var key = $"{depth} {e.Tag.Group:X4},{e.Tag.Element:X4}";
            if (e.IsSequence)
            {
                var items = dataset.Items(e);
                lines.Add($"{key} items={items.Count}");
                foreach (var item in items) Append(item, depth + 1, lines);
            }
            else if (dataset.Fragments(e) is { } fragments)
            {
                lines.Add($"{key} fragments={fragments.Count}");
            }
            else if (DicomVRInfo.IsString(e.VR))
            {
                lines.Add($"{key} [{dataset.GetString(e.Tag)}]");
            }
            else
            {
                lines.Add($"{key} bytes={e.Length}");
            }
        }
    }
}
