namespace InnerEye.Inference;

/// <summary>Finds the <c>models/</c> folder: given explicitly, else the nearest one above the working directory or the program.</summary>
public static class ModelsFolder
{
    public static string? Find(string? given)
    {
        if (given is not null) return given;
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "models");
                if (Directory.Exists(candidate) && Directory.EnumerateFiles(candidate, "*.json").Any()) return candidate;
            }
        }
        return null;
    }
}
