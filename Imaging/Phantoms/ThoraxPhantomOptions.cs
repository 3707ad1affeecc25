namespace InnerEye.Imaging.Phantoms;

/// <summary>
/// What <see cref="ThoraxPhantom.Generate"/> builds. Everything not given here (pixel and slice spacing, anatomy,
/// noise, dates) is drawn from <see cref="Seed"/>, so one seed always gives the same phantom.
/// </summary>
public sealed record ThoraxPhantomOptions
{
    public const int MinImageSize = 16, MaxImageSize = 1024, MaxSlices = 1000;
    public const double MaxSpacing = 10;

    /// <summary>Non-negative; it names the patient ("Phantom^&lt;seed&gt;") and fixes every random choice.</summary>
    public int Seed { get; init; }

    public int Rows { get; init; } = 512;
    public int Columns { get; init; } = 512;
    public int Slices { get; init; } = 120;

    /// <summary>Column spacing (mm, along a row, patient x); null draws a square pixel size in 0.6–1.2 mm from the seed.</summary>
    public double? ColumnSpacing { get; init; }

    /// <summary>Row spacing (mm, along a column, patient y); null takes the column spacing (square pixels).</summary>
    public double? RowSpacing { get; init; }

    /// <summary>Distance between slices (mm); null draws one in 1–5 mm from the seed.</summary>
    public double? SliceSpacing { get; init; }

    /// <summary>
    /// Feet first supine (FFS): rows run toward the patient's right (ImageOrientationPatient −1\0\0\0\1\0), so the slice
    /// normal points to the feet, and ImagePositionPatient z decreases as the instance number increases.
    /// </summary>
    public bool FeetFirst { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (Seed < 0) throw new ArgumentOutOfRangeException(nameof(Seed), Seed, "The seed must not be negative.");
        CheckSize(nameof(Rows), Rows, MinImageSize, MaxImageSize);
        CheckSize(nameof(Columns), Columns, MinImageSize, MaxImageSize);
        CheckSize(nameof(Slices), Slices, 1, MaxSlices);
        CheckSpacing(nameof(ColumnSpacing), ColumnSpacing);
        CheckSpacing(nameof(RowSpacing), RowSpacing);
        CheckSpacing(nameof(SliceSpacing), SliceSpacing);
    }

    private static void CheckSize(string name, int value, int min, int max)
    {
        if (value < min || value > max) throw new ArgumentOutOfRangeException(name, value, $"{name} must be from {min} to {max}.");
    }

    private static void CheckSpacing(string name, double? value)
    {
        if (value is { } v && !(v > 0 && v <= MaxSpacing && double.IsFinite(v)))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be more than 0 and at most {MaxSpacing} mm.");
    }
}
