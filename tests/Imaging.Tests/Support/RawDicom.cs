using System.Buffers.Binary;
using System.Text;

namespace InnerEye.Imaging.Tests.Support;

/// <summary>Hand-assembles DICOM byte streams, including broken ones that no writer would produce.</summary>
public static class RawDicom
{
    /// <summary>Preamble, DICM and a file meta group naming the transfer syntax.</summary>
    public static byte[] Preamble(string transferSyntax)
    {
        var ts = Encoding.ASCII.GetBytes(transferSyntax.Length % 2 == 1 ? transferSyntax + "\0" : transferSyntax);
        var element = ExplicitShort(0x0002, 0x0010, "UI", ts);
        return [.. new byte[128], .. "DICM"u8, .. ExplicitShort(0x0002, 0x0000, "UL", UInt32(element.Length)), .. element];
    }

    public static byte[] Implicit(ushort group, ushort element, byte[] value) =>
        [.. UInt16(group), .. UInt16(element), .. UInt32(value.Length), .. value];

    public static byte[] ImplicitHeader(ushort group, ushort element, uint length) =>
        [.. UInt16(group), .. UInt16(element), .. UInt32(length)];

    public static byte[] ExplicitShort(ushort group, ushort element, string vr, byte[] value) =>
        [.. UInt16(group), .. UInt16(element), .. Encoding.ASCII.GetBytes(vr), .. UInt16((ushort)value.Length), .. value];

    public static byte[] Text(string s) => Encoding.ASCII.GetBytes(s.Length % 2 == 1 ? s + " " : s);

    public static byte[] UInt16(ushort v)
    {
        var b = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        return b;
    }

    public static byte[] UInt32(int v) => UInt32((uint)v);

    public static byte[] UInt32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return b;
    }
}
