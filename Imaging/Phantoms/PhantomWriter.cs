using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Nifti;

namespace InnerEye.Imaging.Phantoms;

/// <summary>What <see cref="PhantomWriter.Write"/> wrote.</summary>
public sealed record PhantomOutput(string Folder, string? CtFolder, string? Zip, string Labels, string Json, int Files);

/// <summary>
/// Writes a phantom as a CT series (one Explicit VR Little Endian CT Image Storage file per slice), its labels as
/// NIfTI-1 and a JSON summary:
/// <c>OUT/ct/&lt;i&gt;</c> (no extension), optionally <c>OUT/scan.zip</c> in the gateway layout, <c>OUT/labels.nii.gz</c>
/// and <c>OUT/phantom.json</c>. File <c>ct/&lt;i&gt;</c> holds a slice chosen by a seeded permutation, and the zip
/// holds the same files under the same names, deflated, stored in a second seeded order. Everything, UIDs, dates and
/// zip time stamps included, follows from the seed: the same seed writes byte-identical files.
/// </summary>
public static class PhantomWriter
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    public const string Manufacturer = "InnerEye";
    public const string ModelName = "ThoraxPhantom";

    private static readonly DicomTag ContentDate = new(0x0008, 0x0023);
    private static readonly DicomTag ContentTime = new(0x0008, 0x0033);
    private static readonly DicomTag ManufacturerModelName = new(0x0008, 0x1090);
    private static readonly DicomTag BodyPartExamined = new(0x0018, 0x0015);
    private static readonly DicomTag Kvp = new(0x0018, 0x0060);
    private static readonly DicomTag ConvolutionKernel = new(0x0018, 0x1210);
    private static readonly DicomTag PatientPosition = new(0x0018, 0x5100);
    private static readonly DicomTag AcquisitionNumber = new(0x0020, 0x0012);
    private static readonly DicomTag SliceLocation = new(0x0020, 0x1041);
    private static readonly DicomTag WindowCenter = new(0x0028, 0x1050);
    private static readonly DicomTag WindowWidth = new(0x0028, 0x1051);
    private static readonly DicomTag RescaleType = new(0x0028, 0x1054);
    private static readonly DicomTag WindowExplanation = new(0x0028, 0x1055);

    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static PhantomOutput Write(ThoraxPhantom phantom, string folder, bool writeFolder = true, bool writeZip = false)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        if (!writeFolder && !writeZip) throw new ArgumentException("Write the series as a folder, a zip or both.");
        Directory.CreateDirectory(folder);
        var g = phantom.Geometry;
        var seed = phantom.Options.Seed;
        var order = Permutation(g.Slices, new Random(PhantomRandom.Derive(seed, "file-order", 0)));
        var files = new byte[g.Slices][];
        Parallel.For(0, g.Slices, i => files[i] = DicomWriter.WriteFile(BuildSlice(phantom, order[i]), TransferSyntax.ExplicitVRLittleEndian));

        string? ctFolder = null, zip = null;
        if (writeFolder)
        {
            ctFolder = Path.Combine(folder, "ct");
            if (Directory.Exists(ctFolder))
            {
                // Files of an earlier phantom (named by number, as here) would join this series: remove them.
                foreach (var stale in Directory.EnumerateFiles(ctFolder).Where(f => Path.GetFileName(f).All(char.IsAsciiDigit))) File.Delete(stale);
            }
            Directory.CreateDirectory(ctFolder);
            Parallel.For(0, g.Slices, i => File.WriteAllBytes(Path.Combine(ctFolder, Name(i)), files[i]));
        }
        if (writeZip)
        {
            zip = Path.Combine(folder, "scan.zip");
            WriteZip(zip, files, phantom);
        }
        var labels = Path.Combine(folder, "labels.nii.gz");
        NiftiWriter.Write(labels, LabelImage(phantom));
        var json = Path.Combine(folder, "phantom.json");
        File.WriteAllText(json, JsonSerializer.Serialize(Summary(phantom), JsonOptions) + "\n");
        return new PhantomOutput(folder, ctFolder, zip, labels, json, g.Slices);
    }

    private static string Name(int i) => i.ToString(CultureInfo.InvariantCulture);

    private static void WriteZip(string path, byte[][] files, ThoraxPhantom phantom)
    {
        var entryOrder = Permutation(files.Length, new Random(PhantomRandom.Derive(phantom.Options.Seed, "zip-order", 0)));
        var (date, time) = StudyDateTime(phantom.Options.Seed);
        var stamp = new DateTimeOffset(DateTime.ParseExact(date + time, "yyyyMMddHHmmss", CultureInfo.InvariantCulture), TimeSpan.Zero);
        using var stream = File.Create(path);
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create);
        foreach (var i in entryOrder)
        {
            var entry = archive.CreateEntry("ct/" + Name(i), CompressionLevel.Fastest);
            entry.LastWriteTime = stamp;
            using var content = entry.Open();
            content.Write(files[i]);
        }
    }

    /// <summary>A seeded Fisher–Yates shuffle of 0..n−1.</summary>
    private static int[] Permutation(int n, Random rng)
    {
        var p = Enumerable.Range(0, n).ToArray();
        for (var i = n - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }
        return p;
    }

    /// <summary>StudyDate (DA) and StudyTime (TM) fixed by the seed: a day from 2000 to 2024 during working hours.</summary>
    public static (string Date, string Time) StudyDateTime(int seed)
    {
        var rng = new Random(PhantomRandom.Derive(seed, "study-date", 0));
        var day = new DateTime(2000, 1, 1).AddDays(rng.Next(0, 25 * 365));
        var seconds = 7 * 3600 + rng.Next(0, 11 * 3600);
        return (day.ToString("yyyyMMdd", CultureInfo.InvariantCulture), new TimeSpan(0, 0, seconds).ToString("hhmmss", CultureInfo.InvariantCulture));
    }

    /// <summary>The CT Image Storage data set of slice <paramref name="k"/> (InstanceNumber k + 1).</summary>
    public static DicomDatasetBuilder BuildSlice(ThoraxPhantom phantom, int k)
    {
        var g = phantom.Geometry;
        var seed = phantom.Options.Seed;
        var (date, time) = StudyDateTime(seed);
        var position = g.SlicePosition(k);
        var ds = new DicomDatasetBuilder()
            .Add(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL")
            .Add(DicomTags.SOPClassUID, DicomVR.UI, CtImageStorage)
            .Add(DicomTags.SOPInstanceUID, DicomVR.UI, PhantomRandom.Uid(seed, "sop-instance", k))
            .Add(DicomTags.StudyDate, DicomVR.DA, date)
            .Add(DicomTags.SeriesDate, DicomVR.DA, date)
            .Add(ContentDate, DicomVR.DA, date)
            .Add(DicomTags.StudyTime, DicomVR.TM, time)
            .Add(DicomTags.SeriesTime, DicomVR.TM, time)
            .Add(ContentTime, DicomVR.TM, time)
            .Add(DicomTags.AccessionNumber, DicomVR.SH, "")
            .Add(DicomTags.Modality, DicomVR.CS, "CT")
            .Add(DicomTags.Manufacturer, DicomVR.LO, Manufacturer)
            .Add(DicomTags.ReferringPhysicianName, DicomVR.PN, "")
            .Add(DicomTags.StudyDescription, DicomVR.LO, "Synthetic thorax phantom")
            .Add(DicomTags.SeriesDescription, DicomVR.LO, Invariant($"Thorax phantom seed {seed}"))
            .Add(ManufacturerModelName, DicomVR.LO, ModelName)
            .Add(DicomTags.PatientName, DicomVR.PN, Invariant($"Phantom^{seed}"))
            .Add(DicomTags.PatientID, DicomVR.LO, Invariant($"PHANTOM-{seed}"))
            .Add(DicomTags.PatientBirthDate, DicomVR.DA, "")
            .Add(DicomTags.PatientSex, DicomVR.CS, "O")
            .Add(BodyPartExamined, DicomVR.CS, "CHEST")
            .Add(DicomTags.SliceThickness, DicomVR.DS, Ds(g.Spacing[2]))
            .Add(Kvp, DicomVR.DS, "120")
            .Add(ConvolutionKernel, DicomVR.SH, "STANDARD")
            .Add(PatientPosition, DicomVR.CS, g.PatientPosition)
            .Add(DicomTags.StudyInstanceUID, DicomVR.UI, PhantomRandom.Uid(seed, "study", 0))
            .Add(DicomTags.SeriesInstanceUID, DicomVR.UI, PhantomRandom.Uid(seed, "series", 0))
            .Add(DicomTags.StudyID, DicomVR.SH, "1")
            .Add(DicomTags.SeriesNumber, DicomVR.IS, "1")
            .Add(AcquisitionNumber, DicomVR.IS, "1")
            .Add(DicomTags.InstanceNumber, DicomVR.IS, Invariant($"{k + 1}"))
            .Add(DicomTags.ImagePositionPatient, DicomVR.DS, [.. position.Select(Ds)])
            .Add(DicomTags.ImageOrientationPatient, DicomVR.DS, [.. g.ImageOrientation.Select(Ds)])
            .Add(DicomTags.FrameOfReferenceUID, DicomVR.UI, PhantomRandom.Uid(seed, "frame-of-reference", 0))
            .Add(DicomTags.PositionReferenceIndicator, DicomVR.LO, "")
            .Add(SliceLocation, DicomVR.DS, Ds(position[2]))
            .AddUInt16(DicomTags.SamplesPerPixel, 1)
            .Add(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
            .AddUInt16(DicomTags.Rows, (ushort)g.Rows)
            .AddUInt16(DicomTags.Columns, (ushort)g.Columns)
            .Add(DicomTags.PixelSpacing, DicomVR.DS, Ds(g.Spacing[1]), Ds(g.Spacing[0]))
            .AddUInt16(DicomTags.BitsAllocated, 16)
            .AddUInt16(DicomTags.BitsStored, 16)
            .AddUInt16(DicomTags.HighBit, 15)
            .AddUInt16(DicomTags.PixelRepresentation, 1)
            .Add(WindowCenter, DicomVR.DS, "40", "-600")
            .Add(WindowWidth, DicomVR.DS, "400", "1500")
            .Add(DicomTags.RescaleIntercept, DicomVR.DS, Invariant($"{ThoraxPhantom.RescaleIntercept}"))
            .Add(DicomTags.RescaleSlope, DicomVR.DS, "1")
            .Add(RescaleType, DicomVR.LO, "HU")
            .Add(WindowExplanation, DicomVR.LO, "MEDIASTINUM", "LUNG")
            .AddBytes(DicomTags.PixelData, DicomVR.OW, Pixels(phantom.Hu[k]));
        return ds;
    }

    /// <summary>Signed 16-bit little-endian stored values: HU − RescaleIntercept.</summary>
    private static byte[] Pixels(short[] hu)
    {
        var bytes = new byte[hu.Length * 2];
        for (var i = 0; i < hu.Length; i++)
        {
            var stored = (short)(hu[i] - ThoraxPhantom.RescaleIntercept);
            bytes[2 * i] = (byte)stored;
            bytes[2 * i + 1] = (byte)(stored >> 8);
        }
        return bytes;
    }

    /// <summary>The labels as a uint8 NIfTI image on the CT grid, voxel (i, j, k) being the loaded volume's voxel (i, j, k).</summary>
    public static NiftiImage LabelImage(ThoraxPhantom phantom)
    {
        var g = phantom.Geometry;
        var length = g.Columns * g.Rows;
        var data = new byte[(long)length * g.Slices];
        for (var k = 0; k < g.Slices; k++) phantom.Labels[k].CopyTo(data, (long)k * length);
        return NiftiImage.Labels(data, [g.Columns, g.Rows, g.Slices], g.Spacing, g.Origin, g.Direction,
            Invariant($"thorax phantom labels seed {phantom.Options.Seed}"));
    }

    /// <summary>The phantom.json contents.</summary>
    public static PhantomSummary Summary(ThoraxPhantom phantom)
    {
        var g = phantom.Geometry;
        var counts = phantom.LabelCounts();
        var a = phantom.Anatomy;
        return new PhantomSummary(
            phantom.Options.Seed, [g.Columns, g.Rows, g.Slices], g.Spacing, g.Origin, g.Direction, g.PatientPosition,
            ["Background", .. PhantomStructures.Names], counts,
            PhantomRandom.Uid(phantom.Options.Seed, "series", 0), PhantomRandom.Uid(phantom.Options.Seed, "frame-of-reference", 0),
            new PhantomSummary.Parameters(Math.Round(a.RotationDegrees, 3), Math.Round(2 * a.BodySemiWidth, 2), Math.Round(2 * a.BodySemiDepth, 2),
                Math.Round(a.NoiseSigma, 2), Math.Round(a.FatHu, 1), Math.Round(a.MuscleHu, 1), Math.Round(a.LungHu, 1), Math.Round(a.HeartHu, 1),
                Math.Round(a.CordHu, 1), Math.Round(a.CsfHu, 1), phantom.CentreZ));
    }

    /// <summary>A decimal string (DS) value: at most six decimals, no exponent.</summary>
    internal static string Ds(double v)
    {
        var s = v.ToString("0.######", CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// The phantom.json summary. Size, spacing (column, row, slice), origin and direction (row, column, normal) are those
/// of the volume <c>VolumeLoader</c> builds from the series; structures are named in label order from 0 (background).
/// </summary>
public sealed record PhantomSummary(
    int Seed, int[] Size, double[] Spacing, double[] Origin, double[] Direction, string PatientPosition,
    IReadOnlyList<string> Structures, long[] LabelCounts, string SeriesInstanceUid, string FrameOfReferenceUid,
    PhantomSummary.Parameters Anatomy)
{
    public sealed record Parameters(double RotationDegrees, double BodyWidth, double BodyDepth, double NoiseSigma, double FatHu,
        double MuscleHu, double LungHu, double HeartHu, double CordHu, double CsfHu, double CentreZ);
}
