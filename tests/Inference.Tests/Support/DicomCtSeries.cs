using System.Globalization;
using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Series;

namespace InnerEye.Inference.Tests.Support;

/// <summary>Writes a small CT series as DICOM files with the Imaging library's writer, for loading with <see cref="VolumeLoader"/>.</summary>
public static class DicomCtSeries
{
    public static void Write(string folder, int columns, int rows, int slices, double[] spacing, double[] origin, Func<int, int, int, short> hu)
    {
        Directory.CreateDirectory(folder);
        var baseUid = UidGenerator.NewUid();
        static string Ds(double v) => v.ToString("0.##########", CultureInfo.InvariantCulture);
        for (var k = 0; k < slices; k++)
        {
            var pixels = new byte[rows * columns * 2];
            for (var j = 0; j < rows; j++)
            {
                for (var i = 0; i < columns; i++)
                {
                    var stored = (short)(hu(i, j, k) + 1024);
                    pixels[2 * (j * columns + i)] = (byte)stored;
                    pixels[2 * (j * columns + i) + 1] = (byte)(stored >> 8);
                }
            }

            var ds = new DicomDatasetBuilder()
                .Add(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2")
                .Add(DicomTags.SOPInstanceUID, DicomVR.UI, $"{baseUid}.4.{k + 1}")
                .Add(DicomTags.Modality, DicomVR.CS, "CT")
                .Add(DicomTags.StudyInstanceUID, DicomVR.UI, baseUid + ".1")
                .Add(DicomTags.SeriesInstanceUID, DicomVR.UI, baseUid + ".2")
                .Add(DicomTags.FrameOfReferenceUID, DicomVR.UI, baseUid + ".3")
                .Add(DicomTags.PatientID, DicomVR.LO, "P1")
                .Add(DicomTags.ImagePositionPatient, DicomVR.DS, Ds(origin[0]), Ds(origin[1]), Ds(origin[2] + k * spacing[2]))
                .Add(DicomTags.ImageOrientationPatient, DicomVR.DS, "1", "0", "0", "0", "1", "0")
                .Add(DicomTags.SliceThickness, DicomVR.DS, Ds(spacing[2]))
                .AddUInt16(DicomTags.SamplesPerPixel, 1)
                .Add(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2")
                .AddUInt16(DicomTags.Rows, (ushort)rows)
                .AddUInt16(DicomTags.Columns, (ushort)columns)
                .Add(DicomTags.PixelSpacing, DicomVR.DS, Ds(spacing[1]), Ds(spacing[0]))
                .AddUInt16(DicomTags.BitsAllocated, 16)
                .AddUInt16(DicomTags.BitsStored, 16)
                .AddUInt16(DicomTags.HighBit, 15)
                .AddUInt16(DicomTags.PixelRepresentation, 1)
                .Add(DicomTags.RescaleIntercept, DicomVR.DS, "-1024")
                .Add(DicomTags.RescaleSlope, DicomVR.DS, "1")
                .AddBytes(DicomTags.PixelData, DicomVR.OW, pixels);
            using var file = File.Create(Path.Combine(folder, k.ToString("D3", CultureInfo.InvariantCulture)));
            DicomWriter.WriteFile(file, ds, TransferSyntax.ImplicitVRLittleEndian);
        }
    }
}
