namespace InnerEye.Imaging.Series;

/// <summary>
/// Sorts one series' slices along the slice normal and checks that they form a regular grid, the way clinical tools
/// check it (RTConvert's geometric acceptance test): orthonormal and equal orientation, square CT pixels, one position
/// per slice, an even slice gap. Slices shifted within their plane along a straight line (a tilted gantry) make a
/// sheared grid: the third axis is then the step from slice to slice, not the normal.
/// </summary>
internal static class SeriesGeometry
{
    public sealed record Grid(double[] Direction, double[] Origin, double[] Spacing, int[] Order);

    public static Grid? Build(string channel, IReadOnlyList<ParsedSlice> slices, SeriesLoadOptions options, List<VolumeProblem> problems)
    {
        void Fail(string code, string message) => problems.Add(new VolumeProblem(channel, code, message));
        var first = slices[0];
        foreach (var s in slices)
        {
            var frame = s.FrameNumber is not null;
            var missing = s.Position is not { Length: 3 } ? "ImagePositionPatient (0020,0032)" +
                (frame ? " in a PlanePositionSequence (0020,9113)" : "")
                : s.Orientation is not { Length: 6 } ? "ImageOrientationPatient (0020,0037)" +
                (frame ? " in a PlaneOrientationSequence (0020,9116)" : "")
                : s.PixelSpacing is not { Length: 2 } ? "PixelSpacing (0028,0030)" + (frame ? " in a PixelMeasuresSequence (0028,9110)" : "") : null;
            if (missing is not null && frame) missing += " of its per-frame or shared functional groups";
            if (missing is not null)
            {
                Fail("MissingGeometry", $"'{s.Label}' has no valid {missing}, so its place in the volume is unknown.");
                return null;
            }
        }
        var o = first.Orientation!;
        double[] row = [o[0], o[1], o[2]], col = [o[3], o[4], o[5]];
        var tol = options.OrientationTolerance;
        if (Math.Abs(Norm(row) - 1) > tol || Math.Abs(Norm(col) - 1) > tol || Math.Abs(Dot(row, col)) > tol)
        {
            Fail("NonOrthonormalOrientation", $"ImageOrientationPatient {Format(o)} in '{first.Label}' is not two orthogonal unit vectors.");
            return null;
        }
        Normalize(row);
        Normalize(col);
        var normal = Cross(row, col);
        foreach (var s in slices)
        {
            if (s.Orientation!.Zip(o).Any(p => Math.Abs(p.First - p.Second) > tol))
            {
                Fail("InconsistentOrientation", $"'{s.Label}' has orientation {Format(s.Orientation!)} but '{first.Label}' has {Format(o)}.");
                return null;
            }
            if (Math.Abs(s.PixelSpacing![0] - first.PixelSpacing![0]) > 1e-4 || Math.Abs(s.PixelSpacing[1] - first.PixelSpacing[1]) > 1e-4)
            {
                Fail("InconsistentPixelSpacing",
                    $"'{s.Label}' has pixel spacing {Format(s.PixelSpacing)} but '{first.Label}' has {Format(first.PixelSpacing)}.");
                return null;
            }
        }
        var spacing = first.PixelSpacing!;
        if (spacing[0] <= 0 || spacing[1] <= 0)
        {
            Fail("InvalidPixelSpacing", $"PixelSpacing {Format(spacing)} in '{first.Label}' is not positive.");
            return null;
        }
        if (first.Modality == "CT" && Math.Abs(spacing[0] - spacing[1]) > 1e-4)
        {
            Fail("NonSquarePixels", $"CT pixels must be square, but PixelSpacing is {Format(spacing)} (row\\column, mm).");
            return null;
        }

        var along = slices.Select(s => Dot(s.Position!, normal)).ToArray();
        var order = Enumerable.Range(0, slices.Count).OrderBy(i => along[i]).ToArray();
        var origin = slices[order[0]].Position!;
        var gapTolerance = options.SliceGapTolerance;

        var gaps = new double[Math.Max(order.Length - 1, 0)];
        for (var k = 0; k < gaps.Length; k++) gaps[k] = along[order[k + 1]] - along[order[k]];
        for (var k = 0; k < gaps.Length; k++)
        {
            if (gaps[k] < Math.Max(gapTolerance, 1e-3))
            {
                var (a, b) = (slices[order[k]], slices[order[k + 1]]);
                var sameImage = a.FrameNumber is not null && a.Entry == b.Entry
                    ? " Both are frames of one multi-frame image: frames of other temporal positions, echoes or dimensions at the same place are " +
                    "not one volume."
                    : "";
                Fail("DuplicateSlicePosition",
                    $"'{a.Label}' and '{b.Label}' are both at {along[order[k]]:0.###} mm along the slice normal.{sameImage}");
                return null;
            }
        }
        double sliceSpacing;
        if (gaps.Length == 0)
        {
            sliceSpacing = first.SliceThickness is > 0 and var t ? t : 1.0;
        }
        else
        {
            sliceSpacing = Median(gaps);
            for (var k = 0; k < gaps.Length; k++)
            {
                if (Math.Abs(gaps[k] - sliceSpacing) <= gapTolerance) continue;
                var ratio = gaps[k] / sliceSpacing;
                var missing = Math.Round(ratio) - 1;
                var between = $"between '{slices[order[k]].Label}' ({along[order[k]]:0.###} mm) and '{slices[order[k + 1]].Label}' " +
                    $"({along[order[k + 1]]:0.###} mm)";
                if (missing >= 1 && Math.Abs(gaps[k] - Math.Round(ratio) * sliceSpacing) <= gapTolerance)
                    Fail("MissingSlices", $"{missing} slice(s) missing {between}: the gap is {gaps[k]:0.###} mm where the series' slice spacing is " +
                        $"{sliceSpacing:0.###} mm.");
                else
                    Fail("NonUniformSliceSpacing",
                        $"The slice gap {between} is {gaps[k]:0.###} mm, more than {gapTolerance} mm from the median gap of " +
                        $"{sliceSpacing:0.###} mm.");
                return null;
            }
        }

        // Slices that all lie on the normal through the first one (to within the gap tolerance) stack straight: the
        // third axis is the normal. Otherwise the positions must step along one straight line (a tilted gantry): the
        // step is the least-squares fit of position against slice index through the first slice, every slice lies
        // within the tolerance of its place on that line, and the line leans from the normal by at most MaxTiltDegrees.
        var offsets = order.Select(i => Subtract(slices[i].Position!, origin)).ToArray();
        if (offsets.All(d => Math.Abs(Dot(d, row)) <= gapTolerance && Math.Abs(Dot(d, col)) <= gapTolerance))
            return new Grid([.. row, .. col, .. normal], [.. origin], [spacing[1], spacing[0], sliceSpacing], order);

        double[] step = [0, 0, 0];
        double squares = 0;
        for (var k = 1; k < offsets.Length; k++)
        {
            for (var a = 0; a < 3; a++) step[a] += k * offsets[k][a];
            squares += (double)k * k;
        }
        for (var a = 0; a < 3; a++) step[a] /= squares;
        var worst = 0;
        var worstDistance = 0.0;
        for (var k = 1; k < offsets.Length; k++)
        {
            var distance = Norm([offsets[k][0] - k * step[0], offsets[k][1] - k * step[1], offsets[k][2] - k * step[2]]);
            if (distance > worstDistance) (worst, worstDistance) = (k, distance);
        }
        if (worstDistance > gapTolerance)
        {
            var s = slices[order[worst]];
            Fail("InconsistentSlicePosition",
                $"'{s.Label}' at {Format(s.Position!)} is {worstDistance:0.###} mm off the straight, evenly stepped line through the other slices' " +
                $"positions (starting at '{slices[order[0]].Label}' at {Format(origin)}): the slices are shifted within the image plane " +
                "irregularly (a mixed series or a varying tilt) and do not stack into one grid.");
            return null;
        }
        var stepLength = Norm(step);
        var tilt = Math.Acos(Math.Clamp(Dot(step, normal) / stepLength, -1, 1)) * 180 / Math.PI;
        if (tilt > options.MaxTiltDegrees)
        {
            Fail("TiltTooLarge", $"The slice positions step along a line {tilt:0.##}° from the slice normal (a tilted gantry); at most " +
                $"{options.MaxTiltDegrees:0.##}° is accepted.");
            return null;
        }
        for (var a = 0; a < 3; a++) step[a] /= stepLength;
        return new Grid([.. row, .. col, .. step], [.. origin], [spacing[1], spacing[0], stepLength], order);
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        var m = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }

    private static double[] Subtract(double[] a, double[] b) => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
    private static double Dot(double[] a, double[] b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    private static double Norm(double[] a) => Math.Sqrt(Dot(a, a));
    private static double[] Cross(double[] a, double[] b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

    private static void Normalize(double[] a)
    {
        var n = Norm(a);
        for (var i = 0; i < 3; i++) a[i] /= n;
    }

    private static string Format(double[] values) => string.Join('\\',
        values.Select(v => v.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture)));
}
