using InnerEye.Imaging.Series;

namespace InnerEye.Imaging.Preview;

/// <summary>Which patient plane a panel shows.</summary>
public enum PreviewPlane
{
    Axial,
    Coronal,
    Sagittal,
}

/// <summary>
/// One panel of the preview: its place in the image (<see cref="Left"/>, top row 0, <see cref="Width"/> × <see cref="Height"/>
/// pixels) and the patient point (LPS, mm) at the centre of each of its pixels.
/// </summary>
public sealed record PreviewPanel(PreviewPlane Plane, int Left, int Width, int Height);

/// <summary>
/// Where the preview's pixels lie in the patient (LPS, mm). The three panels stand left to right (axial, coronal,
/// sagittal), <see cref="Gap"/> pixels apart, top-aligned; every display pixel is <see cref="PixelMm"/> mm square.
/// The panels cover the volume's bounding box in patient coordinates (<see cref="Min"/> to <see cref="Max"/>, the voxels'
/// outer edges) and cut through <see cref="Centre"/>:
/// axial (z = centre z): column c at x = min x + (c + ½)·p, row r at y = min y + (r + ½)·p — patient right on the left,
/// anterior up; coronal (y = centre y): column c at x as axial, row r at z = max z − (r + ½)·p — superior up, patient
/// right on the left; sagittal (x = centre x): column c at y = min y + (c + ½)·p, row r at z as coronal — superior up,
/// anterior on the left. This is the radiological convention whatever the series' own orientation (feet first, oblique).
/// </summary>
public sealed record PreviewLayout(double[] Centre, double[] Min, double[] Max, double PixelMm, IReadOnlyList<PreviewPanel> Panels)
{
    public const int Gap = 4;

    public int Width => Panels[^1].Left + Panels[^1].Width;

    public int Height => Panels.Max(p => p.Height);

    /// <summary>The patient point at the centre of pixel (<paramref name="column"/>, <paramref name="row"/>) of a panel.</summary>
    public (double X, double Y, double Z) PatientPoint(PreviewPanel panel, int column, int row)
    {
        ArgumentNullException.ThrowIfNull(panel);
        double u = (column + 0.5) * PixelMm, v = (row + 0.5) * PixelMm;
        return panel.Plane switch
        {
            PreviewPlane.Axial => (Min[0] + u, Min[1] + v, Centre[2]),
            PreviewPlane.Coronal => (Min[0] + u, Centre[1], Max[2] - v),
            _ => (Centre[0], Min[1] + u, Max[2] - v),
        };
    }

    /// <summary>
    /// The layout for <paramref name="volume"/> cut through <paramref name="centre"/>: the display pixel is the volume's
    /// smallest spacing, or larger where the longest side of the bounding box would need more than
    /// <paramref name="maxPanelPixels"/> pixels.
    /// </summary>
    public static PreviewLayout For(ImageVolume volume, double[] centre, int maxPanelPixels)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(centre);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPanelPixels, 1);
        double[] min = [double.MaxValue, double.MaxValue, double.MaxValue], max = [double.MinValue, double.MinValue, double.MinValue];
        foreach (var i in new[] { -0.5, volume.SizeX - 0.5 })
        foreach (var j in new[] { -0.5, volume.SizeY - 0.5 })
        foreach (var k in new[] { -0.5, volume.SizeZ - 0.5 })
        {
            var (x, y, z) = volume.ToPatient(i, j, k);
            double[] p = [x, y, z];
            for (var a = 0; a < 3; a++)
            {
                min[a] = Math.Min(min[a], p[a]);
                max[a] = Math.Max(max[a], p[a]);
            }
        }
        var longest = Math.Max(max[0] - min[0], Math.Max(max[1] - min[1], max[2] - min[2]));
        var pixel = Math.Max(volume.Spacing.Min(), longest / maxPanelPixels);
        int Pixels(int axis) => Math.Max(1, (int)Math.Ceiling((max[axis] - min[axis]) / pixel - 1e-9));
        var axial = new PreviewPanel(PreviewPlane.Axial, 0, Pixels(0), Pixels(1));
        var coronal = new PreviewPanel(PreviewPlane.Coronal, axial.Width + Gap, Pixels(0), Pixels(2));
        var sagittal = new PreviewPanel(PreviewPlane.Sagittal, coronal.Left + coronal.Width + Gap, Pixels(1), Pixels(2));
        return new PreviewLayout(centre, min, max, pixel, [axial, coronal, sagittal]);
    }
}
