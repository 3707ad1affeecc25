using System.IO.Compression;

namespace InnerEye.Inference.Nnunet.Import;

/// <summary>
/// What an nnU-Net trainer checkpoint (<c>checkpoint_final.pth</c>, a <c>torch.save</c> zip whose
/// <c>&lt;name&gt;/data.pkl</c> is the pickled dict) says about inference: the trainer, the configuration it was
/// trained with (<c>init_args.configuration</c>) and <c>inference_allowed_mirroring_axes</c>.
/// </summary>
/// <param name="HasMirroringAxes">Whether the key is there at all (older checkpoints lack it).</param>
/// <param name="MirroringAxes">The axes; null where the checkpoint holds None.</param>
public sealed record NnUnetCheckpoint(string Path, string? TrainerName, string? Configuration, bool HasMirroringAxes, int[]? MirroringAxes)
{
    public const string MirroringAxesKey = "inference_allowed_mirroring_axes";

    /// <exception cref="NnUnetImportException">CheckpointUnreadable: not a zip, no data.pkl, or a pickle that cannot be read.</exception>
    public static NnUnetCheckpoint Read(string path)
    {
        var root = ReadPickle(path) as PickleDictionary
            ?? throw new NnUnetImportException("CheckpointUnreadable", path, "data.pkl", "is not a pickled dict, as nnU-Net's trainer writes it");
        var trainer = root.TryGetValue("trainer_name", out var t) ? t as string : null;
        string? configuration = null;
        if (root.TryGetValue("init_args", out var init) && init is PickleDictionary args && args.TryGetValue("configuration", out var c))
            configuration = c as string;
        if (!root.TryGetValue(MirroringAxesKey, out var axes)) return new(path, trainer, configuration, false, null);
        return new(path, trainer, configuration, true, axes is null ? null : Axes(path, axes));
    }

    private static int[] Axes(string path, object axes)
    {
        if (axes is IReadOnlyList<object?> items && items.All(a => a is long and >= 0 and <= 2))
            return [.. items.Select(a => (int)(long)a!)];
        throw new NnUnetImportException("CheckpointUnreadable", path, MirroringAxesKey,
            $"is {Describe(axes)}, not None or a tuple of the axes 0, 1, 2");
    }

    private static object? ReadPickle(string path)
    {
        byte[] pickle;
        try
        {
            using var archive = ZipFile.OpenRead(path);
            var entries = archive.Entries.Where(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)
                && e.FullName.Count(ch => ch == '/') == 1)
                .ToList();
            if (entries.Count != 1)
            {
                throw new NnUnetImportException("CheckpointUnreadable", path, "data.pkl",
                    entries.Count == 0 ? "is not in the archive (a torch.save zip holds <name>/data.pkl)" : "is in the archive more than once");
            }

            pickle = ReadBounded(entries[0], path);
        }
        catch (InvalidDataException e)
        {
            throw new NnUnetImportException("CheckpointUnreadable", path, "",
                $"is not a zip archive as torch.save writes since torch 1.6 (the legacy format is not read): {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NnUnetImportException("CheckpointUnreadable", path, "", $"cannot be read: {e.Message}", e);
        }
        try
        {
            return PickleReader.Read(pickle);
        }
        catch (InvalidDataException e)
        {
            throw new NnUnetImportException("CheckpointUnreadable", path, "data.pkl", $"cannot be read: {e.Message}", e);
        }
    }

    private static byte[] ReadBounded(ZipArchiveEntry entry, string path)
    {
        if (entry.Length > PickleReader.MaxLength)
            throw new NnUnetImportException("CheckpointUnreadable", path, "data.pkl",
                $"is {entry.Length} bytes, more than the {PickleReader.MaxLength} read");
        using var stream = entry.Open();
        using var copy = new MemoryStream((int)entry.Length);
        var buffer = new byte[81920];
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            if (copy.Length + n > PickleReader.MaxLength)
                throw new NnUnetImportException("CheckpointUnreadable", path, "data.pkl", $"inflates to more than {PickleReader.MaxLength} bytes");
            copy.Write(buffer, 0, n);
        }
        return copy.ToArray();
    }

    private static string Describe(object value) => value switch
    {
        string s => $"the string '{s}'",
        PickleObject o => $"an object built by {o.Callable}",
        IReadOnlyList<object?> list => $"({string.Join(", ", list.Select(v => v?.ToString() ?? "None"))})",
        _ => value.ToString() ?? value.GetType().Name,
    };
}
