namespace InnerEye.Inference.Nnunet.Import;

/// <summary>
/// Writes an imported model into its folder only once it loads: the ONNX copies and the JSON go to a staging folder
/// beside the output, <see cref="ModelConfigLoader.Load"/> opens them there (and what it reads must write back to the
/// same text), and only then are they moved into place, the JSON last.
/// </summary>
internal static class NnUnetImportWriter
{
    /// <param name="sources">The folds' ONNX files, in the order of <see cref="ModelConfig.EnsemblePaths"/>.</param>
    /// <returns>The configuration as the loader read it from its final place.</returns>
    /// <exception cref="NnUnetImportException">ImportSelfCheckFailed, ImportOutputUnwritable.</exception>
    public static ModelConfig Write(ModelConfig model, IReadOnlyList<string> sources)
    {
        var output = Path.GetDirectoryName(model.ConfigPath)!;
        var staging = Path.Combine(output, $".{model.Id}.import-{Guid.NewGuid():N}");
        var stagedConfig = Path.Combine(staging, Path.GetFileName(model.ConfigPath));
        try
        {
            string json;
            try
            {
                Directory.CreateDirectory(staging);
                for (var i = 0; i < sources.Count; i++) Copy(sources[i], Path.Combine(staging, Path.GetFileName(model.EnsemblePaths[i])));
                json = ModelConfigJson.Write(model);
                File.WriteAllText(stagedConfig, json);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new NnUnetImportException("ImportOutputUnwritable", output, "--out", $"cannot be written: {e.Message}", e);
            }
            SelfCheck(stagedConfig, json);
            try
            {
                foreach (var path in model.EnsemblePaths) File.Move(Path.Combine(staging, Path.GetFileName(path)), path, overwrite: true);
                File.Move(stagedConfig, model.ConfigPath, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new NnUnetImportException("ImportOutputUnwritable", output, "--out", $"cannot be written: {e.Message}", e);
            }
            return ModelConfigLoader.Read(model.ConfigPath);
        }
        finally
        {
            try
            {
                if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            }
            catch (IOException)
            {
                // A staging folder that cannot be removed does not undo a good import.
            }
        }
    }

    /// <summary>Copies the content only: the copy gets the output folder's default permissions, not the source's (often read-only).</summary>
    private static void Copy(string source, string target)
    {
        using var from = File.OpenRead(source);
        using var to = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
        from.CopyTo(to);
    }

    private static void SelfCheck(string path, string json)
    {
        ModelConfig loaded;
        try
        {
            loaded = ModelConfigLoader.Load(path);
        }
        catch (ModelLoadException e)
        {
            throw new NnUnetImportException("ImportSelfCheckFailed", path, "",
                $"does not load as a model configuration, so nothing was written: {e.Message}", e);
        }
        var reread = ModelConfigJson.Write(loaded);
        if (reread != json)
        {
            throw new NnUnetImportException("ImportSelfCheckFailed", path, "",
                $"reads back differently from what was written, so nothing was written:\n{json}\nread back as\n{reread}");
        }
    }
}
