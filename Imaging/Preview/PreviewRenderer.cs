using InnerEye.Imaging.Series;

namespace InnerEye.Imaging.Preview;

/// <summary>A structure's display colour.</summary>
public readonly record struct PreviewColour(byte R, byte G, byte B);

/// <summary>A rendered preview: the PNG file and where its pixels lie in the patient.</summary>
public sealed record PreviewImage(byte[] Png, PreviewLayout Layout);

/// <summary>
/// Renders a segmentation as one PNG: the source volume in axial, coronal and sagittal cuts through the centroid of the
/// labelled voxels (the volume's centre when none is labelled), greyscale in <see cref="DisplayWindow.For"/>, each
/// structure's outline drawn in its colour. Each display pixel takes the nearest voxel (its value and its label); a
/// pixel is outline when it is labelled and a pixel beside it (left, right, above, below) has another label or lies
/// outside the panel. Pixels outside the volume and between panels are black. See <see cref="PreviewLayout"/>.
/// </summary>
public static class PreviewRenderer
{
    public const int DefaultMaxPanelPixels = 512;

    /// <param name="labels">One label per voxel (x fastest, in the volume's slice order): 0 background, i structure i − 1.</param>
    /// <param name="colours">The structures' colours in label order; a label beyond them is drawn white.</param>
    public static PreviewImage Render(ImageVolume volume, string modality, ReadOnlySpan<byte> labels, IReadOnlyList<PreviewColour> colours,
        int maxPanelPixels = DefaultMaxPanelPixels)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(colours);
        if (labels.Length != volume.VoxelCount)
            throw new ArgumentException($"Expected {volume.VoxelCount} labels, got {labels.Length}.", nameof(labels));
        var layout = PreviewLayout.For(volume, Centroid(volume, labels), maxPanelPixels);
        var window = DisplayWindow.For(volume, modality);
        int width = layout.Width, height = layout.Height;
        var rgb = new byte[width * height * 3];
        foreach (var panel in layout.Panels)
        {
            var (grey, label) = Sample(volume, labels, layout, panel);
            for (var r = 0; r < panel.Height; r++)
            for (var c = 0; c < panel.Width; c++)
            {
                var n = r * panel.Width + c;
                var at = (r * width + panel.Left + c) * 3;
                var s = label[n];
                if (s > 0 && IsOutline(label, panel, c, r))
                {
                    var colour = s <= colours.Count ? colours[s - 1] : new PreviewColour(255, 255, 255);
                    (rgb[at], rgb[at + 1], rgb[at + 2]) = (colour.R, colour.G, colour.B);
                }
                else if (grey[n] is { } value)
                {
                    var g = window.Grey(value);
                    (rgb[at], rgb[at + 1], rgb[at + 2]) = (g, g, g);
                }
            }
        }
        return new PreviewImage(PngEncoder.Encode(width, height, rgb), layout);
    }

    /// <summary>The centroid (LPS, mm) of the labelled voxels, or the volume's centre when none is labelled.</summary>
    public static double[] Centroid(ImageVolume volume, ReadOnlySpan<byte> labels)
    {
        ArgumentNullException.ThrowIfNull(volume);
        double si = 0, sj = 0, sk = 0;
        long count = 0;
        for (var n = 0; n < labels.Length; n++)
        {
            if (labels[n] == 0) continue;
            var k = n / volume.SliceLength;
            var rest = n - k * volume.SliceLength;
            si += rest % volume.SizeX;
            sj += rest / volume.SizeX;
            sk += k;
            count++;
        }
        var (x, y, z) = count == 0
            ? volume.ToPatient((volume.SizeX - 1) / 2.0, (volume.SizeY - 1) / 2.0, (volume.SizeZ - 1) / 2.0)
            : volume.ToPatient(si / count, sj / count, sk / count);
        return [x, y, z];
    }

    /// <summary>The nearest voxel's value (null outside the volume) and label (0 outside) at each pixel of a panel.</summary>
    private static (float?[] Grey, byte[] Label) Sample(ImageVolume volume, ReadOnlySpan<byte> labels, PreviewLayout layout, PreviewPanel panel)
    {
        var grey = new float?[panel.Width * panel.Height];
        var label = new byte[grey.Length];
        for (var r = 0; r < panel.Height; r++)
        for (var c = 0; c < panel.Width; c++)
        {
            var (x, y, z) = layout.PatientPoint(panel, c, r);
            var (fi, fj, fk) = volume.ToVoxel(x, y, z);
            int i = (int)Math.Floor(fi + 0.5), j = (int)Math.Floor(fj + 0.5), k = (int)Math.Floor(fk + 0.5);
            if (i < 0 || j < 0 || k < 0 || i >= volume.SizeX || j >= volume.SizeY || k >= volume.SizeZ) continue;
            var inSlice = j * volume.SizeX + i;
            grey[r * panel.Width + c] = volume.Slices[k][inSlice];
            label[r * panel.Width + c] = labels[k * volume.SliceLength + inSlice];
        }
        return (grey, label);
    }

    private static bool IsOutline(byte[] label, PreviewPanel panel, int c, int r)
    {
        var s = label[r * panel.Width + c];
        if (c == 0 || r == 0 || c == panel.Width - 1 || r == panel.Height - 1) return true;
        return label[r * panel.Width + c - 1] != s || label[r * panel.Width + c + 1] != s
            || label[(r - 1) * panel.Width + c] != s || label[(r + 1) * panel.Width + c] != s;
    }
}
