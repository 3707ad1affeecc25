namespace InnerEye.Inference.Tests.Support;

public static class Dice
{
    /// <summary>2|A∩B| / (|A|+|B|) of the voxels where <paramref name="a"/> is non-zero and those where <paramref name="b"/> equals
    /// <paramref name="label"/>; 1 when both are empty.</summary>
    public static double Of(byte[] a, byte[] b, byte label = 1)
    {
        long both = 0, inA = 0, inB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var x = a[i] != 0;
            var y = b[i] == label;
            if (x) inA++;
            if (y) inB++;
            if (x && y) both++;
        }
        return inA + inB == 0 ? 1 : 2.0 * both / (inA + inB);
    }
}
