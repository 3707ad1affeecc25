// Route: own decoder. JpegLibrary 0.4.32 decodes predictors 1, 4 and 5 but gets 2, 3, 6 and 7 wrong on dcmcjpeg output.
using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace InnerEye.Imaging.Pixels;

/// <summary>
/// JPEG Lossless, Non-Hierarchical (Process 14: SOF3, Huffman), for transfer syntaxes 1.2.840.10008.1.2.4.57 (any
/// predictor) and .70 (predictor 1). Precision 2–16 bits, point transform, restart intervals, one or more
/// components in interleaved or separate scans (sampling factors 1x1). ITU T.81 Annex H. Signed samples are
/// sign-extended from Bits Stored.
/// </summary>
public sealed class JpegLosslessFrameDecoder : IFrameDecoder
{
    internal const string Codec = "JPEG Lossless";

    public static JpegLosslessFrameDecoder Instance { get; } = new();

    public void Decode(ReadOnlySpan<byte> encoded, FrameFormat format, Span<byte> destination)
    {
        FrameChecks.Validate(Codec, format, destination.Length, allow32Bit: false);
        var state = new DecodeState(format);
        try
        {
            state.Run(encoded, destination);
        }
        finally
        {
            state.Dispose();
        }
    }

    private interface IPredictor
    {
        static abstract int Predict(int ra, int rb, int rc);
    }

    // ITU T.81 Table H.1: Ra = left, Rb = above, Rc = above-left.
    private struct Left : IPredictor { public static int Predict(int ra, int rb, int rc) => ra; }
    private struct Above : IPredictor { public static int Predict(int ra, int rb, int rc) => rb; }
    private struct AboveLeft : IPredictor { public static int Predict(int ra, int rb, int rc) => rc; }
    private struct Plane : IPredictor { public static int Predict(int ra, int rb, int rc) => ra + rb - rc; }
    private struct LeftGradient : IPredictor { public static int Predict(int ra, int rb, int rc) => ra + ((rb - rc) >> 1); }
    private struct AboveGradient : IPredictor { public static int Predict(int ra, int rb, int rc) => rb + ((ra - rc) >> 1); }
    private struct Average : IPredictor { public static int Predict(int ra, int rb, int rc) => (ra + rb) >> 1; }

    private sealed class HuffmanTable
    {
        public const int LookupBits = 9;

        /// <summary>(code length &lt;&lt; 8) | value for every 9-bit prefix that starts a code of 9 bits or fewer; 0 otherwise.</summary>
        public readonly ushort[] Lookup = new ushort[1 << LookupBits];
        public readonly int[] MaxCode = new int[18];
        public readonly int[] ValueOffset = new int[17];
        public readonly byte[] Values = new byte[256];

        public static HuffmanTable Build(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values)
        {
            var table = new HuffmanTable();
            values.CopyTo(table.Values);
            var code = 0;
            var k = 0;
            for (var length = 1; length <= 16; length++)
            {
                int n = counts[length - 1];
                table.ValueOffset[length] = k - code;
                if (n == 0)
                {
                    table.MaxCode[length] = -1;
                }
                else
                {
                    for (var i = 0; i < n; i++, k++, code++)
                    {
                        if (code >= 1 << length)
                            throw FrameChecks.Corrupt(Codec, "a Huffman table has more codes than its code lengths allow");
                        if (length <= LookupBits)
                        {
                            var shift = LookupBits - length;
                            var entry = (ushort)((length << 8) | values[k]);
                            table.Lookup.AsSpan(code << shift, 1 << shift).Fill(entry);
                        }
                    }
                    table.MaxCode[length] = code - 1;
                }
                code <<= 1;
            }
            table.MaxCode[17] = int.MaxValue;
            return table;
        }
    }

    /// <summary>Big-endian bit reader over entropy-coded data, removing stuffed zero bytes and stopping at markers.</summary>
    private ref struct BitReader
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _position;
        private ulong _bits;
        private int _count;
        private long _padBits;
        private bool _atMarker;

        public BitReader(ReadOnlySpan<byte> data, int position)
        {
            _data = data;
            _position = position;
        }

        public readonly int Position => _position;

        /// <summary>True when the decoder has used bits beyond the end of the entropy-coded segment.</summary>
        public readonly bool Overrun => _padBits > _count;

        private void Fill()
        {
            while (_count <= 56)
            {
                uint b = 0;
                if (!_atMarker && _position < _data.Length)
                {
                    b = _data[_position];
                    if (b == 0xFF)
                    {
                        var next = _position + 1 < _data.Length ? _data[_position + 1] : -1;
                        if (next == 0)
                        {
                            _position += 2;
                        }
                        else
                        {
                            _atMarker = true;
                            b = 0;
                            _padBits += 8;
                        }
                    }
                    else
                    {
                        _position++;
                    }
                }
                else
                {
                    _atMarker = true;
                    _padBits += 8;
                }
                _bits |= (ulong)b << (56 - _count);
                _count += 8;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int DecodeDifference(HuffmanTable table)
        {
            if (_count < 32)
                Fill();
            int entry = table.Lookup[(int)(_bits >> (64 - HuffmanTable.LookupBits))];
            int length;
            int ssss;
            if (entry != 0)
            {
                length = entry >> 8;
                ssss = entry & 0xFF;
            }
            else
            {
                length = HuffmanTable.LookupBits + 1;
                var code = (int)(_bits >> (64 - length));
                while (code > table.MaxCode[length])
                {
                    length++;
                    code = (int)(_bits >> (64 - length));
                }
                if (length > 16)
                    throw FrameChecks.Corrupt(Codec, "the entropy-coded data holds an invalid Huffman code");
                ssss = table.Values[table.ValueOffset[length] + code];
            }
            _bits <<= length;
            _count -= length;
            switch (ssss)
            {
                case 0:
                    return 0;
                case 16:
                    return 32768;
                case > 16:
                    throw FrameChecks.Corrupt(Codec, $"difference category {ssss} is out of range");
            }
            var v = (int)(_bits >> (64 - ssss));
            _bits <<= ssss;
            _count -= ssss;
            if (v < 1 << (ssss - 1))
                v += (-1 << ssss) + 1;
            return v;
        }

        /// <summary>Discards buffered bits and consumes the expected RSTn marker.</summary>
        public void Restart(int expected)
        {
            if (Overrun)
                throw FrameChecks.Corrupt(Codec, "entropy-coded data ends before the restart interval is complete");
            _bits = 0;
            _count = 0;
            _padBits = 0;
            _atMarker = false;
            while (_position + 1 < _data.Length && _data[_position] == 0xFF && _data[_position + 1] == 0xFF)
                _position++;
            if (_position + 1 >= _data.Length || _data[_position] != 0xFF || _data[_position + 1] != 0xD0 + expected)
                throw FrameChecks.Corrupt(Codec, $"restart marker RST{expected} is missing");
            _position += 2;
        }

        /// <summary>Moves past the entropy-coded segment to the next marker.</summary>
        public int SkipToMarker()
        {
            var p = _position;
            while (p + 1 < _data.Length && !(_data[p] == 0xFF && _data[p + 1] != 0 && _data[p + 1] != 0xFF))
                p++;
            return p;
        }
    }

    private sealed class DecodeState(FrameFormat format) : IDisposable
    {
        private readonly HuffmanTable?[] _tables = new HuffmanTable?[4];
        private int _restartInterval;
        private int _precision;
        private int _width;
        private int _height;
        private int _componentCount;
        private readonly byte[] _componentIds = new byte[4];
        private bool _haveFrame;
        private int _decodedMask;
        private int[]? _rows;

        public void Dispose()
        {
            if (_rows is not null)
                ArrayPool<int>.Shared.Return(_rows);
        }

        public void Run(ReadOnlySpan<byte> data, Span<byte> destination)
        {
            if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8)
                throw FrameChecks.Corrupt(Codec, "the data does not start with a JPEG SOI marker");
            var pos = 2;
            while (true)
            {
                if (pos >= data.Length)
                    throw FrameChecks.Corrupt(Codec, "the data ends without an EOI marker");
                if (data[pos] != 0xFF)
                    throw FrameChecks.Corrupt(Codec, $"expected a marker at byte {pos}, found 0x{data[pos]:X2}");
                while (pos < data.Length && data[pos] == 0xFF)
                    pos++;
                if (pos >= data.Length)
                    throw FrameChecks.Corrupt(Codec, "the data ends inside a marker");
                var marker = data[pos++];
                if (marker == 0xD9) // EOI
                    break;
                if (marker is 0x01 or (>= 0xD0 and <= 0xD7))
                    continue;
                if (pos + 2 > data.Length)
                    throw FrameChecks.Corrupt(Codec, $"marker 0xFF{marker:X2} has no length");
                int length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
                if (length < 2 || pos + length > data.Length)
                    throw FrameChecks.Corrupt(Codec, $"marker 0xFF{marker:X2} segment length {length} runs past the end of the data");
                ReadOnlySpan<byte> segment = data.Slice(pos + 2, length - 2);
                switch (marker)
                {
                    case 0xC4:
                        ReadHuffmanTables(segment);
                        pos += length;
                        break;
                    case 0xDD:
                        if (segment.Length < 2)
                            throw FrameChecks.Corrupt(Codec, "DRI segment is too short");
                        _restartInterval = BinaryPrimitives.ReadUInt16BigEndian(segment);
                        pos += length;
                        break;
                    case 0xC3:
                        ReadFrameHeader(segment);
                        pos += length;
                        break;
                    case 0xC0 or 0xC1 or 0xC2 or 0xC5 or 0xC6 or 0xC7 or 0xC9 or 0xCA or 0xCB or 0xCD or 0xCE or 0xCF:
                        throw FrameChecks.Unsupported(Codec, $"SOF{marker - 0xC0} is not a lossless Huffman (SOF3) frame");
                    case 0xDA:
                        pos = DecodeScan(data, pos + length, segment, destination);
                        break;
                    default:
                        pos += length; // APPn, COM, DQT, DNL and other segments carry nothing we need
                        break;
                }
            }
            if (!_haveFrame)
                throw FrameChecks.Corrupt(Codec, "no SOF3 frame header was found");
            if (_decodedMask != (1 << _componentCount) - 1)
                throw FrameChecks.Corrupt(Codec, "not every component was present in a scan");
            SampleLayout.SignExtend(format, destination);
        }

        private void ReadHuffmanTables(ReadOnlySpan<byte> segment)
        {
            var p = 0;
            while (p < segment.Length)
            {
                if (p + 17 > segment.Length)
                    throw FrameChecks.Corrupt(Codec, "DHT segment is truncated");
                var tc = segment[p] >> 4;
                var th = segment[p] & 0x0F;
                ReadOnlySpan<byte> counts = segment.Slice(p + 1, 16);
                var total = 0;
                foreach (var c in counts)
                    total += c;
                if (total > 256 || p + 17 + total > segment.Length)
                    throw FrameChecks.Corrupt(Codec, "DHT segment declares more codes than it holds");
                if (th > 3)
                    throw FrameChecks.Corrupt(Codec, $"Huffman table id {th} is out of range");
                if (tc == 0)
                    _tables[th] = HuffmanTable.Build(counts, segment.Slice(p + 17, total));
                p += 17 + total;
            }
        }

        private void ReadFrameHeader(ReadOnlySpan<byte> segment)
        {
            if (_haveFrame)
                throw FrameChecks.Corrupt(Codec, "more than one frame header");
            if (segment.Length < 6)
                throw FrameChecks.Corrupt(Codec, "SOF3 segment is too short");
            _precision = segment[0];
            _height = BinaryPrimitives.ReadUInt16BigEndian(segment[1..]);
            _width = BinaryPrimitives.ReadUInt16BigEndian(segment[3..]);
            _componentCount = segment[5];
            if (_precision is < 2 or > 16)
                throw FrameChecks.Corrupt(Codec, $"sample precision {_precision} is outside 2–16");
            if (_precision > 8 * format.BytesPerSample)
                throw FrameChecks.Unsupported(Codec, $"{_precision}-bit samples do not fit in {format.BitsAllocated} bits allocated");
            if (_width != format.Columns || _height != format.Rows)
                throw FrameChecks.Corrupt(Codec, $"the codestream is {_width}x{_height} but the data set says {format.Columns}x{format.Rows}");
            if (_componentCount != format.SamplesPerPixel)
                throw FrameChecks.Corrupt(Codec,
                    $"the codestream has {_componentCount} components but the data set says {format.SamplesPerPixel} samples per pixel");
            if (segment.Length < 6 + 3 * _componentCount)
                throw FrameChecks.Corrupt(Codec, "SOF3 segment is too short for its components");
            for (var i = 0; i < _componentCount; i++)
            {
                _componentIds[i] = segment[6 + 3 * i];
                if (segment[7 + 3 * i] != 0x11)
                    throw FrameChecks.Unsupported(Codec, "subsampled components are not supported");
            }
            _haveFrame = true;
        }

        private int DecodeScan(ReadOnlySpan<byte> data, int start, ReadOnlySpan<byte> header, Span<byte> destination)
        {
            if (!_haveFrame)
                throw FrameChecks.Corrupt(Codec, "a scan comes before the frame header");
            if (header.Length < 1)
                throw FrameChecks.Corrupt(Codec, "SOS segment is too short");
            int ns = header[0];
            if (ns < 1 || ns > _componentCount || header.Length < 1 + 2 * ns + 3)
                throw FrameChecks.Corrupt(Codec, $"SOS declares {ns} components");
            Span<int> componentIndex = stackalloc int[4];
            var tables = new HuffmanTable[ns];
            for (var k = 0; k < ns; k++)
            {
                var id = header[1 + 2 * k];
                var index = _componentIds.AsSpan(0, _componentCount).IndexOf(id);
                if (index < 0)
                    throw FrameChecks.Corrupt(Codec, $"scan component {id} is not in the frame");
                if ((_decodedMask & (1 << index)) != 0)
                    throw FrameChecks.Corrupt(Codec, $"component {id} appears in more than one scan");
                _decodedMask |= 1 << index;
                componentIndex[k] = index;
                var td = header[2 + 2 * k] >> 4;
                tables[k] = (td < 4 ? _tables[td] : null)
                    ?? throw FrameChecks.Corrupt(Codec, $"Huffman table {td} is used but never defined");
            }
            int predictor = header[1 + 2 * ns];
            var pointTransform = header[3 + 2 * ns] & 0x0F;
            if (predictor is < 1 or > 7)
                throw FrameChecks.Corrupt(Codec, $"predictor {predictor} is outside 1–7");
            if (pointTransform >= _precision)
                throw FrameChecks.Corrupt(Codec, $"point transform {pointTransform} is not below the precision {_precision}");

            var width = _width;
            var rowLength = ns * width;
            _rows ??= ArrayPool<int>.Shared.Rent(2 * _componentCount * width);
            Span<int> previous = _rows.AsSpan(0, rowLength);
            Span<int> current = _rows.AsSpan(rowLength, rowLength);
            var initial = 1 << (_precision - pointTransform - 1);
            var restartInterval = _restartInterval;
            var toGo = restartInterval;
            var nextRst = 0;
            var samples = format.SamplesPerPixel;
            var bytesPerSample = format.BytesPerSample;

            var reader = new BitReader(data, start);
            var init = true;
            for (var y = 0; y < _height; y++)
            {
                var oneD = y == 0;
                var x = 0;
                while (x < width)
                {
                    if (restartInterval != 0 && toGo == 0)
                    {
                        reader.Restart(nextRst);
                        nextRst = (nextRst + 1) & 7;
                        toGo = restartInterval;
                        init = true;
                        oneD = true;
                    }
                    if (ns == 1 && !init && x > 0)
                    {
                        // Fast path: a run of samples of one component with a fixed predictor.
                        var count = restartInterval == 0 ? width - x : Math.Min(width - x, toGo);
                        DecodeRun(oneD ? 1 : predictor, ref reader, tables[0], current[..width], previous[..width], x, x + count);
                        x += count;
                        toGo -= count;
                        continue;
                    }
                    toGo--;
                    for (var k = 0; k < ns; k++)
                    {
                        Span<int> cur = current.Slice(k * width, width);
                        int prediction;
                        if (init)
                        {
                            prediction = initial;
                        }
                        else if (oneD)
                        {
                            prediction = cur[x - 1];
                        }
                        else if (x == 0)
                        {
                            prediction = previous[k * width];
                        }
                        else
                        {
                            var ra = cur[x - 1];
                            var rb = previous[k * width + x];
                            var rc = previous[k * width + x - 1];
                            prediction = predictor switch
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
                        cur[x] = (prediction + reader.DecodeDifference(tables[k])) & 0xFFFF;
                    }
                    init = false;
                    x++;
                }
                if (reader.Overrun)
                    throw FrameChecks.Corrupt(Codec, $"entropy-coded data ends at row {y + 1} of {_height}");
                WriteRow(current, y, ns, componentIndex, samples, bytesPerSample, pointTransform, destination);
                Span<int> swap = previous;
                previous = current;
                current = swap;
            }
            return reader.SkipToMarker();
        }

        private static void DecodeRun(int predictor, ref BitReader reader, HuffmanTable table, Span<int> row,
            ReadOnlySpan<int> above, int from, int to)
        {
            switch (predictor)
            {
                case 1: DecodeRun<Left>(ref reader, table, row, above, from, to); break;
                case 2: DecodeRun<Above>(ref reader, table, row, above, from, to); break;
                case 3: DecodeRun<AboveLeft>(ref reader, table, row, above, from, to); break;
                case 4: DecodeRun<Plane>(ref reader, table, row, above, from, to); break;
                case 5: DecodeRun<LeftGradient>(ref reader, table, row, above, from, to); break;
                case 6: DecodeRun<AboveGradient>(ref reader, table, row, above, from, to); break;
                default: DecodeRun<Average>(ref reader, table, row, above, from, to); break;
            }
        }

        /// <summary>Samples [from, to) of one row, from ≥ 1; specialised per predictor so the loop has no dispatch.</summary>
        private static void DecodeRun<TPredictor>(ref BitReader reader, HuffmanTable table, Span<int> row,
            ReadOnlySpan<int> above, int from, int to)
            where TPredictor : struct, IPredictor
        {
            if ((uint)to > (uint)row.Length || (uint)to > (uint)above.Length || from < 1)
                throw new ArgumentOutOfRangeException(nameof(to));
            var ra = row[from - 1];
            for (var x = from; x < to; x++)
            {
                ra = (TPredictor.Predict(ra, above[x], above[x - 1]) + reader.DecodeDifference(table)) & 0xFFFF;
                row[x] = ra;
            }
        }

        private void WriteRow(ReadOnlySpan<int> row, int y, int ns, ReadOnlySpan<int> componentIndex, int samples,
            int bytesPerSample, int pointTransform, Span<byte> destination)
        {
            var width = _width;
            var rowStart = y * width * samples;
            for (var k = 0; k < ns; k++)
            {
                ReadOnlySpan<int> values = row.Slice(k * width, width);
                var c = componentIndex[k];
                if (bytesPerSample == 1)
                {
                    Span<byte> line = destination.Slice(rowStart, width * samples);
                    if (samples == 1)
                    {
                        for (var x = 0; x < values.Length; x++)
                            line[x] = (byte)(values[x] << pointTransform);
                    }
                    else
                    {
                        for (int x = 0, o = c; x < values.Length; x++, o += samples)
                            line[o] = (byte)(values[x] << pointTransform);
                    }
                }
                else
                {
                    Span<byte> line = destination.Slice(2 * rowStart, 2 * width * samples);
                    for (int x = 0, o = 2 * c; x < values.Length; x++, o += 2 * samples)
                        BinaryPrimitives.WriteUInt16LittleEndian(line[o..], (ushort)(values[x] << pointTransform));
                }
            }
        }
    }
}
