using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace InnerEye.Imaging.Seg;

/// <summary>
/// The voxels of a segmentation on the source grid, as a label volume or as one mask per segment: which segment holds
/// which slice, and the pixel data of each form.
/// </summary>
internal abstract class SegVoxels(int count, int width, int height, int depth)
{
    public int Count { get; } = count;
    public int Width { get; } = width;
    public int Height { get; } = height;
    public int Depth { get; } = depth;
    public int SliceLength => Width * Height;

    /// <summary>Per segment, per slice: whether the segment holds any voxel of the slice.</summary>
    public abstract bool[][] Presence(CancellationToken cancellationToken);

    /// <summary>Whether any voxel is in two segments.</summary>
    public abstract bool Overlap { get; }

    /// <summary>Sets the bits of one frame: bit <paramref name="bitOffset"/> + i of <paramref name="bits"/> (least significant bit first) for pixel
    /// i.</summary>
    public abstract void Pack(int segment, int z, byte[] bits, long bitOffset);

    /// <summary>
    /// The label-map pixel data: a segment's label value (index + 1) per voxel, one byte (two, little-endian, when
    /// <paramref name="wide"/>) per voxel, slices in order. Throws <see cref="SegmentOverlapException"/> for a voxel in two segments.
    /// </summary>
    public abstract byte[] LabelMap(bool wide, CancellationToken cancellationToken);

    /// <summary>Packs one frame with <paramref name="member"/> telling which of its pixels are set.</summary>
    protected static void Pack(byte[] bits, long bitOffset, int length, Func<int, bool> member)
    {
        for (var i = 0; i < length; i++)
        {
            if (!member(i)) continue;
            var bit = bitOffset + i;
            bits[bit >> 3] |= (byte)(1 << (int)(bit & 7));
        }
    }
}

/// <summary>A label volume: value i is segment i − 1, zero the background; segments cannot overlap.</summary>
internal sealed class LabelVoxels : SegVoxels
{
    private readonly byte[] _labels;

    public LabelVoxels(byte[] labels, int count, int width, int height, int depth) : base(count, width, height, depth)
    {
        _labels = labels;
        var bad = labels.AsSpan().IndexOfAnyExceptInRange((byte)0, (byte)Math.Min(count, byte.MaxValue));
        if (bad >= 0)
            throw new ArgumentException(
                $"Label {labels[bad]} at voxel ({bad % width}, {bad / width % height}, {bad / SliceLength}) has no segment; {count} " +
                "segments were given.", nameof(labels));
    }

    public override bool Overlap => false;

    public override bool[][] Presence(CancellationToken cancellationToken)
    {
        var presence = Enumerable.Range(0, Count).Select(_ => new bool[Depth]).ToArray();
        Parallel.For(0, Depth, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            var slice = _labels.AsSpan(z * SliceLength, SliceLength);
            var seen = new bool[Count + 1];
            var at = slice.IndexOfAnyExcept((byte)0);
            while (at >= 0)
            {
                var value = slice[at];
                seen[value] = true;
                // Skip the run of this value, then look for the next non-background voxel.
                var rest = slice[at..];
                var runEnd = rest.IndexOfAnyExcept(value);
                if (runEnd < 0) break;
                slice = rest[runEnd..];
                at = slice.IndexOfAnyExcept((byte)0);
            }
            for (var s = 0; s < Count; s++) presence[s][z] = seen[s + 1];
        });
        return presence;
    }

    public override void Pack(int segment, int z, byte[] bits, long bitOffset)
    {
        var value = (byte)(segment + 1);
        var slice = _labels.AsMemory(z * SliceLength, SliceLength);
        if ((bitOffset & 7) == 0 && SliceLength % 8 == 0)
        {
            PackBytes(slice.Span, value, bits.AsSpan((int)(bitOffset >> 3), SliceLength / 8));
            return;
        }
        Pack(bits, bitOffset, SliceLength, i => slice.Span[i] == value);
    }

    /// <summary>
    /// Whole bytes: eight voxels to a byte, the first in the least significant bit. 32 voxels at a time the comparison's
    /// most significant bits are exactly that order (element k → bit k), so a vector compare packs four bytes at once.
    /// </summary>
    internal static void PackBytes(ReadOnlySpan<byte> source, byte value, Span<byte> target)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var match = Vector256.Create(value);
            for (; i + 32 <= source.Length; i += 32)
            {
                var mask = Vector256.Equals(Vector256.Create(source.Slice(i, 32)), match).ExtractMostSignificantBits();
                BinaryPrimitives.WriteUInt32LittleEndian(target[(i / 8)..], mask);
            }
        }
        else if (Vector128.IsHardwareAccelerated)
        {
            var match = Vector128.Create(value);
            for (; i + 16 <= source.Length; i += 16)
            {
                var mask = Vector128.Equals(Vector128.Create(source.Slice(i, 16)), match).ExtractMostSignificantBits();
                BinaryPrimitives.WriteUInt16LittleEndian(target[(i / 8)..], (ushort)mask);
            }
        }
        for (; i < source.Length; i += 8)
        {
            var b = 0;
            for (var k = 0; k < 8; k++) b |= (source[i + k] == value ? 1 : 0) << k;
            target[i / 8] = (byte)b;
        }
    }

    public override byte[] LabelMap(bool wide, CancellationToken cancellationToken)
    {
        if (!wide) return _labels; // already the pixel data: one byte per voxel, x fastest, slices in order
        var data = new byte[_labels.LongLength * 2];
        for (long i = 0; i < _labels.LongLength; i++) data[2 * i] = _labels[i];
        return data;
    }
}

/// <summary>One mask per segment, which may overlap.</summary>
internal sealed class MaskVoxels(IReadOnlyList<bool[]> masks, int width, int height, int depth) : SegVoxels(masks.Count, width, height, depth)
{
    private bool? _overlap;

    public override bool Overlap => _overlap ??= FindOverlap() is not null;

    public override bool[][] Presence(CancellationToken cancellationToken)
    {
        var presence = Enumerable.Range(0, Count).Select(_ => new bool[Depth]).ToArray();
        Parallel.For(0, Depth, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            for (var s = 0; s < Count; s++) presence[s][z] = masks[s].AsSpan(z * SliceLength, SliceLength).IndexOf(true) >= 0;
        });
        return presence;
    }

    public override void Pack(int segment, int z, byte[] bits, long bitOffset)
    {
        var mask = masks[segment];
        var start = z * SliceLength;
        if ((bitOffset & 7) == 0 && SliceLength % 8 == 0)
        {
            // A bool is one byte, 0 or 1: pack it as the label 1.
            LabelVoxels.PackBytes(MemoryMarshal.Cast<bool, byte>(mask.AsSpan(start, SliceLength)), 1,
                bits.AsSpan((int)(bitOffset >> 3), SliceLength / 8));
            return;
        }
        Pack(bits, bitOffset, SliceLength, i => mask[start + i]);
    }

    public override byte[] LabelMap(bool wide, CancellationToken cancellationToken)
    {
        if (FindOverlap() is { } o) throw new SegmentOverlapException(o.X, o.Y, o.Z, o.First, o.Second);
        var total = (long)SliceLength * Depth;
        var data = new byte[wide ? total * 2 : total];
        Parallel.For(0, Depth, new ParallelOptions { CancellationToken = cancellationToken }, z =>
        {
            var start = z * SliceLength;
            for (var s = 0; s < Count; s++)
            {
                var mask = masks[s].AsSpan(start, SliceLength);
                var value = s + 1;
                for (var i = mask.IndexOf(true); i >= 0 && i < SliceLength; i++)
                {
                    if (!mask[i]) continue;
                    if (wide)
                    {
                        data[2L * (start + i)] = (byte)value;
                        data[2L * (start + i) + 1] = (byte)(value >> 8);
                    }
                    else
                    {
                        data[start + i] = (byte)value;
                    }
                }
            }
        });
        return data;
    }

    private (int X, int Y, int Z, int First, int Second)? FindOverlap()
    {
        var total = SliceLength * Depth;
        var owner = new int[total];
        for (var s = 0; s < Count; s++)
        {
            var mask = masks[s];
            for (var i = mask.AsSpan().IndexOf(true); i >= 0 && i < total; i++)
            {
                if (!mask[i]) continue;
                if (owner[i] != 0) return (i % Width, i / Width % Height, i / SliceLength, owner[i] - 1, s);
                owner[i] = s + 1;
            }
        }
        _overlap = false;
        return null;
    }
}
