using System.Text.RegularExpressions;
using InnerEye.Inference;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains.DicomWeb;

/// <summary>
/// Checks the DICOMweb settings at start: positive periods; every rule names a loaded model, configured destinations,
/// valid regular expressions and sane thickness bounds, and — for a model of several channels — exactly its channels.
/// </summary>
public sealed class DicomWebOptionsValidator(ModelCatalog catalog) : IValidateOptions<DicomWebOptions>
{
    public ValidateOptionsResult Validate(string? name, DicomWebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string s = DicomWebOptions.Section;
        Positive(errors, $"{s}:SeriesQuietPeriod", options.SeriesQuietPeriod);
        Positive(errors, $"{s}:UnroutedRetention", options.UnroutedRetention);
        Positive(errors, $"{s}:RoutedRetention", options.RoutedRetention);
        if (options.RoutedRetention < options.UnroutedRetention)
        {
            errors.Add($"{s}:RoutedRetention ({options.RoutedRetention}) must be at least UnroutedRetention ({options.UnroutedRetention}): " +
                "a routed series waiting for another channel keeps its instances that long.");
        }
        Positive(errors, $"{s}:Delivery:FirstRetryDelay", options.Delivery.FirstRetryDelay);
        Positive(errors, $"{s}:Delivery:RequestTimeout", options.Delivery.RequestTimeout);
        if (options.Delivery.MaxRetryDelay < options.Delivery.FirstRetryDelay)
            errors.Add($"{s}:Delivery:MaxRetryDelay ({options.Delivery.MaxRetryDelay}) must be at least FirstRetryDelay " +
                $"({options.Delivery.FirstRetryDelay}).");
        Positive(errors, $"{s}:Delivery:GiveUpAfter", options.Delivery.GiveUpAfter);

        foreach (var (destinationName, destination) in options.Destinations)
        {
            var key = $"{s}:Destinations:{destinationName}:Url";
            if (!Uri.TryCreate(destination.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                errors.Add($"{key} must be an absolute http or https URL (got '{destination.Url}').");
            else if (!destination.Url.EndsWith('/'))
                errors.Add($"{key} is a DICOMweb base URL and must end in '/' (got '{destination.Url}').");
        }

        for (var i = 0; i < options.Routes.Count; i++)
        {
            var route = options.Routes[i];
            var key = $"{s}:Routes:{i}";
            CheckMatch(errors, $"{key}:Match", route.Match);
            foreach (var (channel, match) in route.Channels) CheckMatch(errors, $"{key}:Channels:{channel}", match);
            foreach (var format in route.Formats.Where(f => !ResultArtifacts.TryParse(f, out var parsed) || parsed == ResultFormat.Nifti))
                errors.Add($"{key}:Formats names '{format}'; DICOMweb delivers rtstruct, seg and labelmap-seg.");
            foreach (var destination in route.Destinations.Where(d => !options.Destinations.ContainsKey(d)))
                errors.Add($"{key}:Destinations names '{destination}', which is not under {s}:Destinations.");
            if (string.IsNullOrWhiteSpace(route.Model))
            {
                errors.Add($"{key}:Model is required (a model id, or Id:Version).");
                continue;
            }
            ModelConfig model;
            try
            {
                model = catalog.Find(route.Model);
            }
            catch (Exception e) when (e is ModelNotFoundException or ModelVersionMismatchException)
            {
                errors.Add($"{key}:Model: {e.Message}");
                continue;
            }
            var channels = model.InputChannels.Select(c => c.Id).ToList();
            if (route.Channels.Count == 0 && channels.Count > 1)
                errors.Add(
                    $"{key}: model {model.FullId} takes {channels.Count} channels ({string.Join(", ", channels)}); name the series of each under " +
                    $"{key}:Channels:<channel>.");
            if (route.Channels.Count > 0 && !route.Channels.Keys.Order(StringComparer.Ordinal).SequenceEqual(channels.Order(StringComparer.Ordinal)))
                errors.Add(
                    $"{key}:Channels names {string.Join(", ", route.Channels.Keys)}, but model {model.FullId} takes {string.Join(", ", channels)}.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero) errors.Add($"{key} must be a positive time span (got {value}).");
    }

    private static void CheckMatch(List<string> errors, string key, SeriesMatch match)
    {
        foreach (var (attribute, pattern) in new[]
                 {
                     ("BodyPartExamined", match.BodyPartExamined), ("SeriesDescription", match.SeriesDescription),
                     ("StudyDescription", match.StudyDescription), ("ProtocolName", match.ProtocolName),
                 })
        {
            if (pattern is null) continue;
            try
            {
                _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                errors.Add($"{key}:{attribute} is not a valid regular expression: {e.Message}");
            }
        }
        if (match.MinSliceThickness is < 0 || match.MaxSliceThickness is < 0)
            errors.Add($"{key}: slice thickness bounds are in mm and cannot be negative.");
        if (match.MinSliceThickness > match.MaxSliceThickness)
            errors.Add($"{key}:MinSliceThickness ({match.MinSliceThickness}) is above MaxSliceThickness ({match.MaxSliceThickness}).");
    }
}
