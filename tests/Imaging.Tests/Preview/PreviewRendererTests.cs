using InnerEye.Imaging.Preview;
using InnerEye.Imaging.Series;

namespace InnerEye.Imaging.Tests.Preview;

public sealed class PreviewRendererTests
{
    private const int Nx = 20, Ny = 16, Nz = 12;
    private static readonly double[] Spacing = [1.5, 1.5, 3];
    private static readonly PreviewColour Red = new(255, 0, 0);

    [Fact]
    public void PngRoundTripsThroughAnIndependentReader()
    {
        byte[] rgb = [1, 2, 3, 250, 251, 252, 0, 0, 0, 9, 8, 7, 255, 0, 128, 40, 50, 60];
        var (width, height, decoded) = PngReader.Read(PngEncoder.Encode(3, 2, rgb));
        Assert.Equal((3, 2), (width, height));
        Assert.Equal(rgb, decoded);
    }

    [Fact]
    public void FeetFirstStorageOfTheSameAnatomyRendersTheSameImage()
    {
        var (headFirst, labels) = Anatomy();
        // Feet first: rows run toward the patient's right and slices toward the feet; voxel (i, j, k) is the
        // head-first voxel (Nx − 1 − i, j, Nz − 1 − k).
        var (x0, y0, z0) = headFirst.ToPatient(Nx - 1, 0, Nz - 1);
        var slices = new float[Nz][];
        var flipped = new byte[labels.Length];
        for (var k = 0; k < Nz; k++)
        {
            slices[k] = new float[Nx * Ny];
            for (var j = 0; j < Ny; j++)
            for (var i = 0; i < Nx; i++)
            {
                var from = (Nz - 1 - k) * Nx * Ny + j * Nx + (Nx - 1 - i);
                slices[k][j * Nx + i] = headFirst.Slices[Nz - 1 - k][j * Nx + (Nx - 1 - i)];
                flipped[k * Nx * Ny + j * Nx + i] = labels[from];
            }
        }
        var feetFirst = new ImageVolume(Nx, Ny, Spacing, [x0, y0, z0], [-1, 0, 0, 0, 1, 0, 0, 0, -1], slices);

        var a = PreviewRenderer.Render(headFirst, "CT", labels, [Red]);
        var b = PreviewRenderer.Render(feetFirst, "CT", flipped, [Red]);
        Assert.Equal(a.Png, b.Png);
    }

    [Fact]
    public void PanelsShowPatientRightOnTheLeftAnteriorAndSuperiorUp()
    {
        var (volume, labels) = Anatomy();
        var preview = PreviewRenderer.Render(volume, "CT", labels, [Red]);
        var layout = preview.Layout;
        Assert.Equal(1.5, layout.PixelMm);
        Assert.Equal([Nx, Nx, Ny], layout.Panels.Select(p => p.Width));
        Assert.Equal([Ny, Nz * 2, Nz * 2], layout.Panels.Select(p => p.Height));
        var (width, height, rgb) = PngReader.Read(preview.Png);
        Assert.Equal((layout.Width, layout.Height), (width, height));
        // The structure fills the patient's right-anterior-superior octant: every red pixel lies in the top-left
        // quarter of its panel.
        foreach (var panel in layout.Panels)
        {
            var red = 0;
            for (var r = 0; r < panel.Height; r++)
            for (var c = 0; c < panel.Width; c++)
            {
                var at = (r * width + panel.Left + c) * 3;
                if (rgb[at] != 255 || rgb[at + 1] != 0 || rgb[at + 2] != 0) continue;
                red++;
                Assert.True(c < panel.Width / 2 && r < panel.Height / 2, $"{panel.Plane}: red at ({c}, {r})");
            }
            Assert.True(red > 10, $"{panel.Plane}: {red} red pixels");
        }
    }

    [Fact]
    public void CtUsesTheSoftTissueWindowAndMrItsPercentiles()
    {
        var (volume, _) = Anatomy();
        Assert.Equal(new DisplayWindow(-160, 240), DisplayWindow.For(volume, "CT"));
        var values = Enumerable.Range(0, 1000).Select(v => (float)v).ToArray();
        var mr = new ImageVolume(10, 10, [1, 1, 1], [0, 0, 0], [1, 0, 0, 0, 1, 0, 0, 0, 1], [.. values.Chunk(100)]);
        var window = DisplayWindow.For(mr, "MR");
        Assert.InRange(window.Low, 9, 10);
        Assert.InRange(window.High, 989, 990);
    }

    /// <summary>
    /// A head-first supine volume with grey levels that vary along every axis and one structure filling the patient's
    /// right (−x), anterior (−y), superior (+z) octant. Its extent is odd along each axis, so that the centroid is a voxel
    /// centre: a cut exactly halfway between two voxels would take the nearer one by rounding, which depends on the storage order.
    /// </summary>
    private static (ImageVolume Volume, byte[] Labels) Anatomy()
    {
        var slices = new float[Nz][];
        var labels = new byte[Nx * Ny * Nz];
        for (var k = 0; k < Nz; k++)
        {
            slices[k] = new float[Nx * Ny];
            for (var j = 0; j < Ny; j++)
            for (var i = 0; i < Nx; i++)
            {
                slices[k][j * Nx + i] = -150 + 10 * i + 5 * j + 7 * k;
                if (i < Nx / 2 - 1 && j < Ny / 2 - 1 && k >= Nz / 2 && k < Nz - 1) labels[k * Nx * Ny + j * Nx + i] = 1;
            }
        }
        return (new ImageVolume(Nx, Ny, Spacing, [-15, -12, 100], [1, 0, 0, 0, 1, 0, 0, 0, 1], slices), labels);
    }
}
