using System.IO.Compression;
using System.Numerics;
using InnerEye.Inference.Nnunet.Import;
using InnerEye.Inference.Tests.Support;

namespace InnerEye.Inference.Tests.Nnunet.Import;

public sealed class PickleReaderTests
{
    [SkippableFact]
    public void TheFixturesTensorsArePlaceholdersThatPointAtTheirStorage()
    {
        using var archive = ZipFile.OpenRead(Path.Combine(NnUnetFixture.ModelFolder, "fold_1", "checkpoint_final.pth"));
        using var stream = new MemoryStream();
        using (var entry = archive.GetEntry("checkpoint_final/data.pkl")!.Open()) entry.CopyTo(stream);

        var root = Assert.IsType<PickleDictionary>(PickleReader.Read(stream.ToArray()));

        Assert.True(root.TryGetValue("network_weights", out var weights));
        var tensors = Assert.IsType<PickleDictionary>(weights);
        Assert.True(tensors.TryGetValue("encoder.stages.0.0.convs.0.conv.weight", out var tensor));
        var rebuild = Assert.IsType<PickleObject>(tensor);
        Assert.Equal(new PickleGlobal("torch._utils", "_rebuild_tensor_v2"), rebuild.Callable);
        var storage = Assert.IsType<PicklePersistentId>(rebuild.Arguments[0]);
        Assert.Equal("storage", Assert.IsType<object?[]>(storage.Id)[0]);
        Assert.Equal(new object?[] { 4L, 1L, 1L, 3L, 3L }, Assert.IsType<object?[]>(rebuild.Arguments[2]));
        Assert.True(root.TryGetValue("init_args", out var init));
        Assert.True(Assert.IsType<PickleDictionary>(init).TryGetValue("device", out var device));
        Assert.Equal(new PickleGlobal("torch", "device"), Assert.IsType<PickleObject>(device).Callable);
    }

    [SkippableTheory]
    [InlineData("protocol2.pkl")]
    [InlineData("protocol4.pkl")]
    public void DictsTuplesNoneAndNestedValuesReadAsPythonWroteThem(string file)
    {
        var root = Assert.IsType<PickleDictionary>(PickleReader.Read(TestPickles.Bytes(file)));

        Assert.Equal(new object?[] { 0L, 2L }, Value(root, "inference_allowed_mirroring_axes"));
        Assert.Equal("nnUNetTrainer", Value(root, "trainer_name"));
        Assert.Equal("3d_fullres", Value(Assert.IsType<PickleDictionary>(Value(root, "init_args")), "configuration"));
        var nested = Assert.IsType<PickleDictionary>(Value(root, "nested"));
        Assert.Equal(new object?[] { 1L, 2.5, null, true, false, "text" }, Assert.IsType<List<object?>>(Value(nested, "list")));
        Assert.Empty(Assert.IsType<object?[]>(Value(nested, "empty")));
        Assert.Equal(new object?[] { 7L }, Value(nested, "one"));
        Assert.Equal(new object?[] { 1L, 2L, 3L }, Value(nested, "three"));
        Assert.Equal(new object?[] { 1L, 2L, 3L, 4L }, Value(nested, "four"));
        Assert.Equal(200L, Value(root, "small"));
        Assert.Equal(40000L, Value(root, "medium"));
        Assert.Equal(-5L, Value(root, "negative"));
        Assert.Equal(-2_000_000_000L, Value(root, "int32"));
        Assert.Equal(BigInteger.Pow(2, 70), Value(root, "big"));
        Assert.Equal(-1.25, Value(root, "float"));
        Assert.Equal(new byte[] { 0, 1, 255 }, Value(root, "bytes"));
        Assert.Equal("h\u00e9llo \u2192", Value(root, "unicode"));
        var shared = Assert.IsType<object?[]>(Value(root, "shared"));
        Assert.Same(shared[0], shared[1]);
        Assert.Equal(new object?[] { 1L, 2L, 3L }, Assert.IsType<List<object?>>(shared[0]));
        Assert.Equal(13, root.Count);
    }

    [SkippableFact]
    public void AReducedGlobalIsAPlaceholderThatIsNeverCalled()
    {
        var root = Assert.IsType<PickleDictionary>(PickleReader.Read(TestPickles.Bytes("reduced.pkl")));

        var date = Assert.IsType<PickleObject>(Value(root, "date"));
        Assert.Equal(new PickleGlobal("datetime", "date"), date.Callable);
        Assert.Equal(new byte[] { 7, 0xe8, 1, 2 }, Assert.Single(date.Arguments));
        var ordered = Assert.IsType<PickleDictionary>(Value(root, "ordered"));
        Assert.Equal(new object?[] { "a", "b" }, ordered.Entries.Select(e => e.Key));
        Assert.Equal(new object?[] { 5L }, Assert.IsType<List<object?>>(Value(root, "set")));
    }

    [SkippableFact]
    public void ATruncatedPickleIsAClearError()
    {
        var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read(TestPickles.Bytes("truncated.pkl")));

        Assert.Contains("pickle:", e.Message);
        Assert.Matches("truncated|ends without STOP", e.Message);
    }

    [SkippableTheory]
    [InlineData("huge_string.pkl", "4294967295")]
    [InlineData("huge_bytes8.pkl", "4611686018427387904")]
    public void AHugeClaimedLengthIsRefusedWithoutAllocatingIt(string file, string claimed)
    {
        var pickle = TestPickles.Bytes(file);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read(pickle));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the claimed length was allocated");
        Assert.Contains(claimed, e.Message);
        Assert.Contains("only 4 remain", e.Message);
    }

    [SkippableFact]
    public void AnUnsupportedOpcodeIsRefusedByName()
    {
        // Protocol 0 INST ('i') would import and call a class.
        var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read("(ios\nsystem\n."u8));

        Assert.Contains("opcode 0x69 is not supported", e.Message);
    }

    [SkippableFact]
    public void AMemoEntryThatWasNeverStoredIsAnError()
    {
        var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read([0x80, 2, (byte)'h', 9, (byte)'.']));

        Assert.Contains("memo entry 9", e.Message);
    }

    [SkippableFact]
    public void APopBelowTheStackIsAnError()
    {
        var e = Assert.Throws<InvalidDataException>(() => PickleReader.Read([0x80, 2, (byte)'0', (byte)'.']));

        Assert.Contains("stack is empty", e.Message);
    }

    private static object? Value(PickleDictionary dictionary, string key)
    {
        Assert.True(dictionary.TryGetValue(key, out var value), $"no key '{key}'");
        return value;
    }
}
