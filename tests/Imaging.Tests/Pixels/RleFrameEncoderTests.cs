using InnerEye.Imaging.Pixels;

namespace InnerEye.Imaging.Tests.Pixels;

/// <summary>RLE frames the project writes decode, with its own decoder, to exactly the samples written.</summary>
public class RleFrameEncoderTests
{
    [Theory]
    [InlineData(8, 1)]
    [InlineData(8, 2)]
    [InlineData(16, 3)]
    public void FramesRoundTripThroughTheDecoder(int bits, int seed)
    {
        var random = new Random(seed);
        const int rows = 37, columns = 301; // rows longer than one PackBits run, odd sizes
        var frame = new byte[rows * columns * (bits / 8)];
        for (var i = 0; i < frame.Length; i++)
        {
            // Runs of equal labels, single changes and noise.
            frame[i] = (i / 97 % 3) switch { 0 => 0, 1 => (byte)random.Next(4), _ => (byte)random.Next(256) };
        }
        var encoded = RleFrameEncoder.Encode(frame, rows, columns, bits);
        Assert.Equal(0, encoded.Length % 2);
        var decoded = new byte[frame.Length];
        RleFrameDecoder.Instance.Decode(encoded, new FrameFormat(rows, columns, 1, bits, bits, false, 0), decoded);
        Assert.Equal(frame, decoded);
    }

    [Fact]
    public void AnEmptyLabelFrameIsTiny()
    {
        var encoded = RleFrameEncoder.Encode(new byte[512 * 512], 512, 512, 8);
        Assert.Equal(64 + 512 * 4 * 2, encoded.Length); // each row: four replicate runs of 128 zeros
    }
}
