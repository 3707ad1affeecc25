using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Series;

namespace InnerEye.Imaging.Tests.Rt;

/// <summary>How a synthetic CT series is laid out and encoded.</summary>
public sealed record SyntheticCtSpec
{
    public required string Name { get; init; }
    public int Columns { get; init; } = 40;
    public int Rows { get; init; } = 32;
    public int Slices { get; init; } = 6;

    /// <summary>Column spacing (along a row) and row spacing (along a column), mm.</summary>
    public double ColumnSpacing { get; init; } = 0.8;
    public double RowSpacing { get; init; } = 0.8;
    public double SliceSpacing { get; init; } = 2.5;

    /// <summary>Row direction cosines then column direction cosines (ImageOrientationPatient).</summary>
    public double[] Orientation { get; init; } = [1, 0, 0, 0, 1, 0];

    /// <summary>ImagePositionPatient of the slice that comes first along the slice normal.</summary>
    public double[] Origin { get; init; } = [-16.25, -12.5, 40.0];

    /// <summary>Whether files are named so that their name order runs against the slice normal.</summary>
    public bool ReverseFileOrder { get; init; }

    /// <summary>UIDs as the gateway sends them: 64-digit SHA-512 hashes, stored with VR LO in an explicit VR file.</summary>
    public bool HashedUids { get; init; }

    /// <summary>Patient and study attributes; when false the slices carry none of them (as the gateway sends them).</summary>
    public bool PatientData { get; init; } = true;
}

/// <summary>Writes small CT series with <see cref="DicomWriter"/> and loads them back with <see cref="VolumeLoader"/>.</summary>
public static class SyntheticCtSeries
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    private static readonly DicomTag KVP = new(0x0018, 0x0060);
    private static readonly DicomTag RescaleType = new(0x0028, 0x1054);

    /// <summary>The gateway's anonymising hash: SHA-512 of the text, each byte as decimal digits after a "1", first 64 characters.</summary>
    public static string GatewayHash(string value)
    {
        var sb = new StringBuilder("1");
        foreach (var b in SHA512.HashData(Encoding.UTF8.GetBytes(value))) sb.Append(b.ToString("00", CultureInfo.InvariantCulture));
        return sb.ToString(0, 64);
    }

    /// <summary>Writes the series into <paramref name="folder"/>/ct and returns the loaded series.</summary>
    public static LoadedSeries WriteAndLoad(SyntheticCtSpec spec, string folder)
    {
        Write(spec, Path.Combine(folder, "ct"));
        var result = VolumeLoader.Load(folder);
        Assert.False(result.HasErrors, string.Join("; ", result.Problems.Select(p => p.Message)));
        var series = Assert.Single(result.Channels);
        Assert.Equal(spec.Slices, series.Volume.SizeZ);
        return series;
    }

    public static void Write(SyntheticCtSpec spec, string folder)
    {
        Directory.CreateDirectory(folder);
        var o = spec.Orientation;
        double[] row = [o[0], o[1], o[2]], col = [o[3], o[4], o[5]];
        double[] normal = [row[1] * col[2] - row[2] * col[1], row[2] * col[0] - row[0] * col[2], row[0] * col[1] - row[1] * col[0]];

        string Uid(string plain) => spec.HashedUids ? GatewayHash(plain) : plain;
        var uidVR = spec.HashedUids ? DicomVR.LO : DicomVR.UI;
        var baseUid = UidGenerator.NewUid();
        var study = Uid(baseUid + ".1");
        var series = Uid(baseUid + ".2");
        var frame = Uid(baseUid + ".3");
        var syntax = spec.HashedUids ? TransferSyntax.ExplicitVRLittleEndian : TransferSyntax.ImplicitVRLittleEndian;

        for (var k = 0; k < spec.Slices; k++)
        {
            double[] position = [.. Enumerable.Range(0, 3).Select(a => spec.Origin[a] + k * spec.SliceSpacing * normal[a])];
            var ds = new DicomDatasetBuilder()
                .Add(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL")
                .Add(DicomTags.SOPClassUID, DicomVR.UI, CtImageStorage)
                .Add(DicomTags.SOPInstanceUID, uidVR, Uid($"{baseUid}.4.{k + 1}"))
                .Add(DicomTags.Modality, DicomVR.CS, "CT")
                .Add(DicomTags.StudyInstanceUID, uidVR, study)
                .Add(DicomTags.SeriesInstanceUID, uidVR, series)
                .Add(DicomTags.FrameOfReferenceUID, uidVR, frame)
                .Add(DicomTags.ImagePositionPatient, DicomVR.DS, [.. position.Select(Ds)])
                .Add(DicomTags.ImageOrientationPatient, DicomVR.DS, [.. o.Select(Ds)])
                .Add(DicomTags.SliceThickness, DicomVR.DS, Ds(spec.SliceSpacing))
                .Add(KVP, DicomVR.DS, "120")
                .AddUInt16(DicomTags.SamplesPerPixel, 1)
                .Add(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
                .AddUInt16(DicomTags.Rows, (ushort)spec.Rows)
                .AddUInt16(DicomTags.Columns, (ushort)spec.Columns)
                .Add(DicomTags.PixelSpacing, DicomVR.DS, Ds(spec.RowSpacing), Ds(spec.ColumnSpacing))
                .AddUInt16(DicomTags.BitsAllocated, 16)
                .AddUInt16(DicomTags.BitsStored, 16)
                .AddUInt16(DicomTags.HighBit, 15)
                .AddUInt16(DicomTags.PixelRepresentation, 1)
                .Add(DicomTags.RescaleIntercept, DicomVR.DS, "-1024")
                .Add(DicomTags.RescaleSlope, DicomVR.DS, "1")
                .Add(RescaleType, DicomVR.LO, "HU")
                .AddBytes(DicomTags.PixelData, DicomVR.OW, Pixels(spec, k));
            if (spec.PatientData)
            {
                ds.Add(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 100")
                    .Add(DicomTags.StudyDate, DicomVR.DA, "20240102")
                    .Add(DicomTags.StudyTime, DicomVR.TM, "101112")
                    .Add(DicomTags.AccessionNumber, DicomVR.SH, "ACC1")
                    .Add(DicomTags.Manufacturer, DicomVR.LO, "Synthetic")
                    .Add(DicomTags.ReferringPhysicianName, DicomVR.PN, "Ref^Doctor")
                    .Add(DicomTags.StudyDescription, DicomVR.LO, "Synthetic study")
                    .Add(DicomTags.PatientName, DicomVR.PN, "Müller^Anna")
                    .Add(DicomTags.PatientID, DicomVR.LO, "P123")
                    .Add(DicomTags.PatientBirthDate, DicomVR.DA, "19700101")
                    .Add(DicomTags.PatientSex, DicomVR.CS, "F")
                    .Add(DicomTags.StudyID, DicomVR.SH, "S1")
                    .Add(DicomTags.SeriesNumber, DicomVR.IS, "3")
                    .Add(DicomTags.InstanceNumber, DicomVR.IS, (k + 1).ToString(CultureInfo.InvariantCulture))
                    .Add(DicomTags.PositionReferenceIndicator, DicomVR.LO, "");
            }
            var index = spec.ReverseFileOrder ? spec.Slices - 1 - k : k;
            using var file = File.Create(Path.Combine(folder, index.ToString("D3", CultureInfo.InvariantCulture)));
            DicomWriter.WriteFile(file, ds, syntax);
        }
    }

    private static string Ds(double v) => v.ToString("0.##########", CultureInfo.InvariantCulture);

    private static byte[] Pixels(SyntheticCtSpec spec, int k)
    {
        var bytes = new byte[spec.Rows * spec.Columns * 2];
        for (var i = 0; i < spec.Rows * spec.Columns; i++)
        {
            var stored = (short)(1024 + (i % 97) * 10 - 500 + k);
            bytes[2 * i] = (byte)stored;
            bytes[2 * i + 1] = (byte)(stored >> 8);
        }
        return bytes;
    }
}
