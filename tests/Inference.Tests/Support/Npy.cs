using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace InnerEye.Inference.Tests.Support;

/// <summary>One array of a <c>.npy</c> file: its shape (C order) and its values, flat.</summary>
public sealed record NpyArray(int[] Shape, Array Data)
{
    public int Length => Data.Length;

    public float[] AsFloats() => Data as float[] ?? throw WrongType("float32");

    public double[] AsDoubles() => Data as double[] ?? throw WrongType("float64");

    public Half[] AsHalves() => Data as Half[] ?? throw WrongType("float16");

    public byte[] AsBytes() => Data as byte[] ?? throw WrongType("uint8");

    public long[] AsInt64s() => Data as long[] ?? throw WrongType("int64");

    /// <summary>The values as float64, whatever their type (all of them convert exactly).</summary>
    public double[] ToDoubles() => Data switch
    {
        double[] d => (double[])d.Clone(),
        float[] f => [.. f.Select(v => (double)v)],
        Half[] h => [.. h.Select(v => (double)v)],
        byte[] b => [.. b.Select(v => (double)v)],
        int[] i => [.. i.Select(v => (double)v)],
        long[] l => [.. l.Select(v => (double)v)],
        _ => throw WrongType("a number"),
    };

    private InvalidCastException WrongType(string wanted) => new($"The array holds {Data.GetType().GetElementType()!.Name}, not {wanted}.");
}

/// <summary>
/// Reads numpy's <c>.npy</c> format (versions 1-3) and <c>.npz</c> archives (a zip of .npy files, stored or deflated):
/// little-endian float16/32/64, uint8, bool, int32 and int64, C order.
/// </summary>
public static partial class Npy
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The arrays of an .npz file by name (the entry name without ".npy").</summary>
    public static Dictionary<string, NpyArray> ReadNpz(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
            using var stream = entry.Open();
            var (shape, data) = Read(stream);
            arrays[entry.FullName[..^4]] = new NpyArray(shape, data);
        }
        return arrays;
    }

    public static NpyArray ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        var (shape, data) = Read(stream);
        return new NpyArray(shape, data);
    }

    /// <summary>Reads one .npy array from the stream's current position.</summary>
    public static (int[] Shape, Array Data) Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> preamble = stackalloc byte[8];
        stream.ReadExactly(preamble);
        if (!preamble[..6].SequenceEqual(Magic)) throw new InvalidDataException("Not a .npy array (no \\x93NUMPY magic).");
        var major = preamble[6];
        int headerLength;
        if (major == 1)
        {
            Span<byte> length = stackalloc byte[2];
            stream.ReadExactly(length);
            headerLength = length[0] | length[1] << 8;
        }
        else if (major is 2 or 3)
        {
            Span<byte> length = stackalloc byte[4];
            stream.ReadExactly(length);
            headerLength = checked((int)BitConverter.ToUInt32(length));
        }
        else
        {
            throw new NotSupportedException($".npy format version {major} is not supported.");
        }
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        var (descr, fortran, shape) = ParseHeader(System.Text.Encoding.UTF8.GetString(header));
        if (fortran) throw new NotSupportedException("Fortran-order .npy arrays are not supported.");
        var count = 1;
        foreach (var n in shape) count = checked(count * n);
        Array data = descr switch
        {
            "<f2" => ReadValues<Half>(stream, count),
            "<f4" => ReadValues<float>(stream, count),
            "<f8" => ReadValues<double>(stream, count),
            "|u1" or "<u1" => ReadValues<byte>(stream, count),
            "|b1" => ReadValues<bool>(stream, count),
            "<i4" => ReadValues<int>(stream, count),
            "<i8" => ReadValues<long>(stream, count),
            _ => throw new NotSupportedException($".npy dtype '{descr}' is not supported."),
        };
        return (shape, data);
    }

    private static T[] ReadValues<T>(Stream stream, int count)
        where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new NotSupportedException("Reading .npy needs a little-endian machine.");
        var values = new T[count];
        stream.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        return values;
    }

    /// <summary>The header is a Python dict literal: {'descr': '&lt;f4', 'fortran_order': False, 'shape': (1, 9), }.</summary>
    private static (string Descr, bool Fortran, int[] Shape) ParseHeader(string header)
    {
        var descr = DescrPattern().Match(header);
        var fortran = FortranPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !fortran.Success || !shape.Success) throw new InvalidDataException($"Unreadable .npy header: {header}");
        int[] dims = [.. shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse)];
        return (descr.Groups[1].Value, fortran.Groups[1].Value == "True", dims);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
