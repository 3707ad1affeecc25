using InnerEye.Imaging.Pixels;

namespace InnerEye.Imaging.Tests.Pixels;

/// <summary>
/// A minimal Process-14 encoder for tests: a flat Huffman table (every category a 5-bit code), optional restart
/// intervals and optionally one scan per component, which no installed encoder writes.
/// </summary>
internal static class JpegLosslessTestEncoder
{
    public static byte[] Encode(byte[] pixels, FrameFormat format, int predictor, int pointTransform, int restartInterval,
        bool scanPerComponent = false)
    {
        var precision = format.BitsStored;
        int width = format.Columns, height = format.Rows, nc = format.SamplesPerPixel, bps = format.BytesPerSample;
        var mask = (1 << (precision - pointTransform)) - 1;
        int Sample(int x, int y, int c)
        {
            var i = (y * width + x) * nc + c;
            int v = bps == 1 ? pixels[i] : BitConverter.ToUInt16(pixels, 2 * i);
            return (v >> pointTransform) & mask;
        }

        var output = new List<byte> { 0xFF, 0xD8 };
        void Segment(byte marker, params byte[] body)
        {
            output.AddRange([0xFF, marker, (byte)((body.Length + 2) >> 8), (byte)(body.Length + 2)]);
            output.AddRange(body);
        }
        var sof = new List<byte> { (byte)precision, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)nc };
        for (var c = 0; c < nc; c++)
            sof.AddRange([(byte)(c + 1), 0x11, 0]);
        Segment(0xC3, [.. sof]);
        var dht = new List<byte> { 0x00 };
        for (var l = 1; l <= 16; l++)
            dht.Add((byte)(l == 5 ? 17 : 0));
        for (var s = 0; s <= 16; s++)
            dht.Add((byte)s);
        Segment(0xC4, [.. dht]);
        if (restartInterval > 0)
            Segment(0xDD, (byte)(restartInterval >> 8), (byte)restartInterval);

        ulong acc = 0;
        var bits = 0;
        void Put(int value, int count)
        {
            acc = (acc << count) | (uint)(value & ((1 << count) - 1));
            bits += count;
            while (bits >= 8)
            {
                var b = (byte)(acc >> (bits - 8));
                bits -= 8;
                output.Add(b);
                if (b == 0xFF)
                    output.Add(0);
            }
        }
        void Flush()
        {
            if (bits > 0)
                Put(0x7F, 8 - bits);
        }

        var scans = scanPerComponent
            ? Enumerable.Range(0, nc).Select(c => new[] { c }).ToArray()
            : [Enumerable.Range(0, nc).ToArray()];
        foreach (var scan in scans)
        {
            var sos = new List<byte> { (byte)scan.Length };
            foreach (var c in scan)
                sos.AddRange([(byte)(c + 1), 0x00]);
            sos.AddRange([(byte)predictor, 0, (byte)pointTransform]);
            Segment(0xDA, [.. sos]);

            var initial = 1 << (precision - pointTransform - 1);
            int mcu = 0, rst = 0;
            var init = true;
            for (var y = 0; y < height; y++)
            {
                var oneD = y == 0;
                for (var x = 0; x < width; x++)
                {
                    if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0)
                    {
                        Flush();
                        output.AddRange([0xFF, (byte)(0xD0 + rst)]);
                        rst = (rst + 1) & 7;
                        init = true;
                        oneD = true;
                    }
                    foreach (var c in scan)
                    {
                        int pred;
                        if (init)
                        {
                            pred = initial;
                        }
                        else if (oneD)
                        {
                            pred = Sample(x - 1, y, c);
                        }
                        else if (x == 0)
                        {
                            pred = Sample(0, y - 1, c);
                        }
                        else
                        {
                            int ra = Sample(x - 1, y, c), rb = Sample(x, y - 1, c), rc = Sample(x - 1, y - 1, c);
                            pred = predictor switch
                            {
                                1 => ra,
                                2 => rb,
                                3 => rc,
                                4 => ra + rb - rc,
                                5 => ra + ((rb - rc) >> 1),
                                6 => rb + ((ra - rc) >> 1),
                                _ => (ra + rb) >> 1,
                            };
                        }
                        var diff = (Sample(x, y, c) - pred) & 0xFFFF;
                        if (diff >= 32768)
                            diff -= 65536;
                        if (diff == -32768)
                        {
                            Put(16, 5);
                            continue;
                        }
                        var ssss = diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
                        Put(ssss, 5);
                        if (ssss > 0)
                            Put(diff > 0 ? diff : diff - 1, ssss);
                    }
                    init = false;
                    mcu++;
                }
            }
            Flush();
        }
        output.AddRange([0xFF, 0xD9]);
        return [.. output];
    }
}
