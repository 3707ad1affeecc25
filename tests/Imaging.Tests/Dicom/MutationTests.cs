using InnerEye.Imaging.Dicom;
using InnerEye.Imaging.Pixels;
using InnerEye.Imaging.Tests.Support;

namespace InnerEye.Imaging.Tests.Dicom;

/// <summary>
/// Thousands of seeded random mutations of well-formed files: reading and decoding either succeed or throw an
/// <see cref="ImagingException"/>; nothing else escapes, nothing hangs, and no allocation outgrows the input.
/// </summary>
public class MutationTests
{
    private static readonly string[] Seeds =
    [
        "CT_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "image_dfl.dcm", "MR_small_RLE.dcm",
        "nested_priv_SQ.dcm", "rtstruct.dcm", "MR_small_jpeg_ls_lossless.dcm", "MR_small_jp2klossless.dcm",
        "SC_rgb_jpeg_gdcm.dcm", "JPEG2000.dcm",
    ];

    [SkippableFact]
    public void MutatedFilesFailOnlyWithTypedErrors()
    {
        PydicomCorpus.Require();
        var random = new Random(20261125);
        var mutations = 0;
        foreach (var name in Seeds)
        {
            var original = File.ReadAllBytes(PydicomCorpus.PathOf(name));
            for (var n = 0; n < 400; n++, mutations++)
            {
                var mutated = Mutate(original, random);
                var before = GC.GetAllocatedBytesForCurrentThread();
                try
                {
                    var file = DicomReader.Read(mutated, new DicomReadOptions { MaxInflatedBytes = 16L << 20 });
                    DecodeFirstFrame(file);
                }
                catch (ImagingException)
                {
                }
                catch (Exception ex)
                {
                    Assert.Fail($"{name} mutation {n}: {ex.GetType().Name}: {ex.Message}");
                }
                var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.True(allocated < 64L * mutated.Length + (20L << 20),
                    $"{name} mutation {n} allocated {allocated} bytes for a {mutated.Length}-byte input");
            }
        }
        Assert.True(mutations >= 4000);
    }

    private static void DecodeFirstFrame(DicomFile file)
    {
        if (!file.Dataset.Contains(DicomTags.PixelData)) return;
        var format = PixelDataReader.FormatOf(file.Dataset);
        if (PixelDataReader.TryGetNativeFrame(file, format, 0, out _)) return;
        // A decoder may only be asked for as many pixels as the data set claims, which mutation keeps bounded here.
        if (format.FrameBytes > 64L << 20) return;
        PixelDataReader.DecodeFrame(file, format, 0, new byte[format.FrameBytes]);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var data = (byte[])original.Clone();
        switch (random.Next(6))
        {
            case 0:
                for (var i = random.Next(1, 8); i > 0; i--) data[random.Next(data.Length)] = (byte)random.Next(256);
                return data;
            case 1:
                return data[..random.Next(1, data.Length)];
            case 2:
            {
                var at = random.Next(data.Length - 4);
                uint[] lengths = [0xFFFFFFFF, 0xFFFFFFFE, 0x7FFFFFFF, 0x80000000, (uint)random.Next(), 0];
                BitConverter.TryWriteBytes(data.AsSpan(at), lengths[random.Next(lengths.Length)]);
                return data;
            }
            case 3:
            {
                var at = random.Next(data.Length);
                var insert = new byte[random.Next(1, 16)];
                random.NextBytes(insert);
                return [.. data[..at], .. insert, .. data[at..]];
            }
            case 4:
            {
                var at = random.Next(data.Length);
                var count = random.Next(1, Math.Min(64, data.Length - at) + 1);
                return [.. data[..at], .. data[(at + count)..]];
            }
            default:
            {
                // Flip bytes in the last 2 KiB, where pixel data and codec headers sit.
                var from = Math.Max(0, data.Length - 2048);
                for (var i = random.Next(1, 8); i > 0; i--) data[random.Next(from, data.Length)] ^= (byte)(1 << random.Next(8));
                return data;
            }
        }
    }
}
