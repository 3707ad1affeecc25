namespace InnerEye.Imaging.Seg;

/// <summary>Refuses values that would make an invalid Segmentation: too long for their VR, or holding characters it may not hold.</summary>
internal static class SegValidation
{
    public static void Check(IReadOnlyList<SegSegment> segments, SegWriteOptions options)
    {
        Text(options.Manufacturer, 64, "Manufacturer");
        Text(options.AlgorithmName, 64, "SegmentAlgorithmName (the model id)", required: true);
        Text(options.AlgorithmVersion, 64, "AlgorithmVersion (the model version)", required: true);
        Text(options.SoftwareVersions, 64, "SoftwareVersions", required: true);
        Text(options.ManufacturerModelName, 64, "ManufacturerModelName", required: true);
        Text(options.DeviceSerialNumber, 64, "DeviceSerialNumber", required: true);
        Text(options.ContentCreatorName, 64, "ContentCreatorName");
        Text(options.ContentDescription, 64, "ContentDescription");
        Text(options.SeriesDescription, 64, "SeriesDescription");
        Text(options.ContentLabel, 16, "ContentLabel", required: true, codeString: true);
        if (options.ImageLaterality is not ("" or "R" or "L" or "B" or "U"))
            throw new ArgumentException($"ImageLaterality '{options.ImageLaterality}' is not R, L, B, U or empty.");
        if (options.SeriesNumber < 0 || options.InstanceNumber < 0)
            throw new ArgumentException("SeriesNumber and InstanceNumber must not be negative.");
        foreach (var s in segments)
        {
            ArgumentNullException.ThrowIfNull(s);
            Text(s.Label, 64, "SegmentLabel", required: true);
            if (s.Code is { } code)
            {
                foreach (var c in new[] { code.Category, code.Type, code.TypeModifier }.OfType<SegCode>())
                {
                    Text(c.Value, 16, $"CodeValue of segment '{s.Label}'", required: true);
                    Text(c.Scheme, 16, $"CodingSchemeDesignator of segment '{s.Label}'", required: true);
                    Text(c.Meaning, 64, $"CodeMeaning of segment '{s.Label}'", required: true);
                }
            }
        }
    }

    private static void Text(string? value, int max, string what, bool required = false, bool codeString = false)
    {
        value ??= "";
        if (required && value.Trim().Length == 0) throw new ArgumentException($"{what} must not be empty.");
        if (value.Length > max) throw new ArgumentException($"{what} '{value}' is longer than {max} characters.");
        foreach (var c in value)
        {
            var bad = c == '\\' || char.IsControl(c) || c > 0xFF
                || codeString && !(c is >= 'A' and <= 'Z' or >= '0' and <= '9' or ' ' or '_');
            if (bad) throw new ArgumentException($"{what} '{value}' holds the character '{c}', which it may not hold.");
        }
    }
}
