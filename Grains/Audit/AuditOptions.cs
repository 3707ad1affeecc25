using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;

namespace InnerEye.Grains.Audit;

/// <summary>The <c>Audit</c> section, read and checked at start (a bad value stops the start, naming the setting).</summary>
public sealed partial class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>Also write each record to standard output.</summary>
    public bool Stdout { get; set; }

    /// <summary>The key of the study hash (at least 32 characters); unset: generated once and kept in the audit folder.</summary>
    public string? HashKey { get; set; }

    /// <summary>The audit folder; unset: <c>&lt;Storage:Path&gt;/audit</c>.</summary>
    public string? Path { get; set; }

    /// <summary>The name a silo puts in its files' names; unset: <c>Cluster:SiloName</c> (<c>POD_NAME</c>), else host and process id.</summary>
    public string? WriterName { get; set; }

    public static AuditOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new AuditOptions();
        try
        {
            configuration.GetSection(Section).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"The Audit settings are invalid: {e.Message}", e);
        }
        if (options.Validate().ToList() is { Count: > 0 } problems) throw new InvalidOperationException(string.Join(" ", problems));
        return options;
    }

    public IEnumerable<string> Validate()
    {
        if (HashKey is not null && HashKey.Length < 32)
            yield return "Audit:HashKey must be at least 32 characters (or unset, to have one generated and kept in the audit folder).";
        if (Path is not null && (Path.Trim().Length == 0 || Path.IndexOfAny(System.IO.Path.GetInvalidPathChars()) >= 0))
            yield return $"Audit:Path '{Path}' is not a folder path.";
        if (WriterName is not null && !WriterPattern().IsMatch(WriterName))
            yield return $"Audit:WriterName '{WriterName}' may hold only letters, digits, '-' and '_' (it is part of a file name).";
    }

    /// <summary>The folder: <see cref="Path"/>, else <c>&lt;storage&gt;/audit</c>.</summary>
    public string FolderUnder(string storagePath) => System.IO.Path.GetFullPath(Path ?? System.IO.Path.Combine(storagePath, "audit"));

    /// <summary>A silo's writer name: <see cref="WriterName"/>, else the silo name, else host and process id, made file-name safe.</summary>
    public string SiloWriterName(string? siloName) =>
        WriterName ?? Unsafe().Replace(siloName ?? $"{Environment.MachineName}-{Environment.ProcessId}", "_");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex WriterPattern();

    [GeneratedRegex("[^A-Za-z0-9_-]")]
    private static partial Regex Unsafe();
}
