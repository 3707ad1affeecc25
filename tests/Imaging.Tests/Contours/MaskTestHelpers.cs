using InnerEye.Imaging.Contours;
using Xunit;

namespace InnerEye.Imaging.Tests.Contours;

/// <summary>Independent reference implementations (flood fills, component counts) and contour checks for the tests.</summary>
internal static class MaskTestHelpers
{
    /// <summary>Parses rows of text: '.' is 0, '#' is 1, a digit is that value.</summary>
    public static byte[] Parse(out int width, out int height, params string[] rows)
    {
        height = rows.Length;
        width = rows[0].Length;
        var mask = new byte[width * height];
        for (var y = 0; y < height; y++)
        {
            Assert.Equal(width, rows[y].Length);
            for (var x = 0; x < width; x++)
            {
                var c = rows[y][x];
                mask[y * width + x] = c switch
                {
                    '.' => 0,
                    '#' => 1,
                    >= '0' and <= '9' => (byte)(c - '0'),
                    _ => throw new ArgumentException($"Unexpected character '{c}'."),
                };
            }
        }

        return mask;
    }

    public static byte[] Binary(byte[] slice, byte label)
    {
        var result = new byte[slice.Length];
        for (var i = 0; i < slice.Length; i++)
        {
            result[i] = slice[i] == label ? (byte)1 : (byte)0;
        }

        return result;
    }

    /// <summary>
    /// Fills holes: background pixels not reachable from the image border through 4-connected background become 1.
    /// </summary>
    public static byte[] FillHolesReference(byte[] binary, int width, int height)
    {
        var outside = new bool[binary.Length];
        var queue = new Queue<(int X, int Y)>();

        void Seed(int x, int y)
        {
            var p = y * width + x;
            if (binary[p] == 0 && !outside[p])
            {
                outside[p] = true;
                queue.Enqueue((x, y));
            }
        }

        for (var x = 0; x < width; x++)
        {
            Seed(x, 0);
            Seed(x, height - 1);
        }

        for (var y = 0; y < height; y++)
        {
            Seed(0, y);
            Seed(width - 1, y);
        }

        while (queue.Count > 0)
        {
            var (x, y) = queue.Dequeue();
            if (x > 0) Seed(x - 1, y);
            if (x < width - 1) Seed(x + 1, y);
            if (y > 0) Seed(x, y - 1);
            if (y < height - 1) Seed(x, y + 1);
        }

        var filled = new byte[binary.Length];
        for (var i = 0; i < binary.Length; i++)
        {
            filled[i] = outside[i] ? (byte)0 : (byte)1;
        }

        return filled;
    }

    /// <summary>Number of 8-connected components of ones.</summary>
    public static int CountForegroundComponents(byte[] binary, int width, int height) =>
        CountComponents(binary, width, height, 1, eightConnected: true, excludeBorderTouching: false);

    /// <summary>Number of 4-connected components of zeros that do not touch the image border (holes).</summary>
    public static int CountHoles(byte[] binary, int width, int height) =>
        CountComponents(binary, width, height, 0, eightConnected: false, excludeBorderTouching: true);

    private static int CountComponents(byte[] binary, int width, int height, byte value, bool eightConnected,
        bool excludeBorderTouching)
    {
        var seen = new bool[binary.Length];
        var stack = new Stack<(int X, int Y)>();
        var count = 0;
        for (var start = 0; start < binary.Length; start++)
        {
            if (binary[start] != value || seen[start])
            {
                continue;
            }

            var touchesBorder = false;
            seen[start] = true;
            stack.Push((start % width, start / width));
            while (stack.Count > 0)
            {
                var (x, y) = stack.Pop();
                if (x == 0 || y == 0 || x == width - 1 || y == height - 1)
                {
                    touchesBorder = true;
                }

                for (var dy = -1; dy <= 1; dy++)
                {
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        if ((dx == 0 && dy == 0) || (!eightConnected && dx != 0 && dy != 0))
                        {
                            continue;
                        }

                        int nx = x + dx, ny = y + dy;
                        if (nx < 0 || ny < 0 || nx >= width || ny >= height)
                        {
                            continue;
                        }

                        var q = ny * width + nx;
                        if (binary[q] == value && !seen[q])
                        {
                            seen[q] = true;
                            stack.Push((nx, ny));
                        }
                    }
                }
            }

            if (!excludeBorderTouching || !touchesBorder)
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Independent signed-area computation on pixel coordinates (shoelace), doubled.</summary>
    public static double DoubledSignedArea(Contour2D contour)
    {
        double sum = 0;
        var n = contour.VertexCount;
        for (var k = 0; k < n; k++)
        {
            var k1 = (k + 1) % n;
            sum += contour.X(k) * contour.Y(k1) - contour.X(k1) * contour.Y(k);
        }

        return sum;
    }

    /// <summary>
    /// Checks the structural promises of a traced contour: at least 4 vertices, corners inside the image's corner grid,
    /// axis-aligned edges, no repeated consecutive vertices, a 90-degree turn at every vertex (no collinear vertices,
    /// no reversals), and IsHole agreeing with the sign of the area.
    /// </summary>
    public static void AssertWellFormed(Contour2D contour, int width, int height)
    {
        var n = contour.VertexCount;
        Assert.True(n >= 4, $"Contour has only {n} vertices.");
        Assert.True(n % 2 == 0, "An axis-aligned closed polygon with 90-degree turns has an even number of vertices.");
        for (var k = 0; k < n; k++)
        {
            int k1 = (k + 1) % n, k2 = (k + 2) % n;
            int x0 = contour.CornerX(k), y0 = contour.CornerY(k);
            int x1 = contour.CornerX(k1), y1 = contour.CornerY(k1);
            int x2 = contour.CornerX(k2), y2 = contour.CornerY(k2);
            Assert.InRange(x0, 0, width);
            Assert.InRange(y0, 0, height);
            Assert.Equal(x0 - 0.5, contour.X(k));
            Assert.Equal(y0 - 0.5, contour.Y(k));
            Assert.False(x0 == x1 && y0 == y1, $"Consecutive vertices {k} and {k1} are equal.");
            Assert.True(x0 == x1 || y0 == y1, $"Edge {k} is not axis-aligned.");
            var firstHorizontal = y0 == y1;
            var secondHorizontal = y1 == y2;
            Assert.True(firstHorizontal != secondHorizontal, $"No turn at vertex {k1} (collinear or reversing).");
        }

        Assert.NotEqual(0, contour.DoubledSignedArea);
        Assert.Equal((double)contour.DoubledSignedArea, DoubledSignedArea(contour));
        Assert.Equal(contour.DoubledSignedArea < 0, contour.IsHole);
    }

    /// <summary>Asserts the full set of promises of a trace of one label against independent references.</summary>
    public static void AssertTraceMatches(byte[] slice, int width, int height, byte label, bool fillHoles,
        IReadOnlyList<Contour2D> contours)
    {
        var binary = Binary(slice, label);
        var expected = fillHoles ? FillHolesReference(binary, width, height) : binary;
        foreach (var contour in contours)
        {
            AssertWellFormed(contour, width, height);
            Assert.Equal(label, contour.Label);
        }

        var actual = PolygonRasterizer.Rasterize(contours, width, height);
        AssertMaskEqual(expected, actual, width, height);

        var outers = contours.Count(c => !c.IsHole);
        var holes = contours.Count(c => c.IsHole);
        Assert.Equal(CountForegroundComponents(expected, width, height), outers);
        Assert.Equal(fillHoles ? 0 : CountHoles(binary, width, height), holes);

        // Total signed area is the pixel count of the expected mask (holes subtract).
        var doubledArea = contours.Sum(c => c.DoubledSignedArea);
        Assert.Equal(2L * expected.Count(v => v != 0), doubledArea);
    }

    public static void AssertMaskEqual(byte[] expected, byte[] actual, int width, int height)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
            {
                Assert.Fail($"Masks differ first at pixel ({i % width}, {i / width}) of {width}×{height}: " +
                            $"expected {expected[i]}, got {actual[i]}.\nExpected:\n{Render(expected, width, height)}\n" +
                            $"Actual:\n{Render(actual, width, height)}");
            }
        }
    }

    public static string Render(byte[] mask, int width, int height)
    {
        if (width > 80 || height > 80)
        {
            return "(too large to show)";
        }

        var sb = new System.Text.StringBuilder();
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = mask[y * width + x];
                sb.Append(v == 0 ? '.' : v == 1 ? '#' : (char)('0' + v % 10));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Independent pixel noise: each pixel is 1 with the given probability.</summary>
    public static byte[] RandomNoise(Random random, int width, int height, double density)
    {
        var mask = new byte[width * height];
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = random.NextDouble() < density ? (byte)1 : (byte)0;
        }

        return mask;
    }

    /// <summary>
    /// Blobby masks: noise smoothed by a few majority-vote passes, which produces larger regions with holes and islands.
    /// </summary>
    public static byte[] RandomBlobs(Random random, int width, int height, double density, int passes)
    {
        var mask = RandomNoise(random, width, height, density);
        for (var pass = 0; pass < passes; pass++)
        {
            var next = new byte[mask.Length];
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    int sum = 0, count = 0;
                    for (var dy = -1; dy <= 1; dy++)
                    {
                        for (var dx = -1; dx <= 1; dx++)
                        {
                            int nx = x + dx, ny = y + dy;
                            if (nx >= 0 && ny >= 0 && nx < width && ny < height)
                            {
                                sum += mask[ny * width + nx];
                                count++;
                            }
                        }
                    }

                    next[y * width + x] = 2 * sum > count ? (byte)1 : 2 * sum == count ? mask[y * width + x] : (byte)0;
                }
            }

            mask = next;
        }

        return mask;
    }
}
