namespace InnerEye.Inference.Nnunet.Import;

/// <summary>
/// The input channels of an imported model: dataset.json's channel names in index order, each with the modality its
/// DICOM series must have and the normalisation the configuration gives it.
/// </summary>
internal static class NnUnetChannels
{
    private static readonly string[] MrPrefixes = ["MR", "T1", "T2", "FLAIR", "ADC", "DWI", "SWI"];

    /// <param name="warnings">Receives a warning for each modality that is only the channel's name.</param>
    public static IReadOnlyList<InputChannelConfig> Map(NnUnetDataset dataset, NnUnetConfiguration configuration, NnUnetPlans plans,
        List<string> warnings)
    {
        var fields = configuration.Fields;
        var schemes = configuration.NormalizationSchemes;
        if (schemes.Count != dataset.ChannelNames.Count)
        {
            throw fields.File.Invalid(fields.Field("normalization_schemes"),
                $"has {schemes.Count} entries but {dataset.Path} channel_names lists {dataset.ChannelNames.Count} channels");
        }

        var channels = new List<InputChannelConfig>();
        for (var i = 0; i < schemes.Count; i++)
        {
            var name = dataset.ChannelNames[i];
            var modality = Modality(name, schemes[i], out var guessed);
            if (guessed)
            {
                warnings.Add($"input channel {i} '{name}': modality {modality} is the channel's name; " +
                    $"set inputChannels[{i}].modality to the DICOM Modality of the series it takes if that differs");
            }

            channels.Add(new InputChannelConfig(name.ToLowerInvariant(), modality) { Normalization = Normalization(configuration, plans, i) });
        }
        return channels;
    }

    /// <summary>
    /// CT where the channel is CT-normalised or named CT; MR for the usual MR sequence names (MR…, T1…, T2…, FLAIR, ADC,
    /// DWI, SWI); PT for PET; otherwise the name in upper case, which the caller reports as a guess.
    /// </summary>
    public static string Modality(string name, string scheme, out bool guessed)
    {
        guessed = false;
        var upper = name.Trim().ToUpperInvariant();
        if (scheme == "CTNormalization" || upper == "CT") return "CT";
        if (MrPrefixes.Any(p => upper.StartsWith(p, StringComparison.Ordinal))) return "MR";
        if (upper is "PET" or "PT") return "PT";
        guessed = true;
        return upper;
    }

    private static NormalizationConfig Normalization(NnUnetConfiguration configuration, NnUnetPlans plans, int channel)
    {
        var scheme = configuration.NormalizationSchemes[channel];
        switch (scheme)
        {
            case "CTNormalization":
                var properties = plans.ForegroundIntensityProperties(channel, out var field);
                return new NormalizationConfig(NormalizationScheme.CtClipZScore)
                {
                    Mean = plans.Number(properties, "mean", field + ".mean"),
                    // nnU-Net divides by max(std, 1e-8).
                    Std = Math.Max(plans.Number(properties, "std", field + ".std"), 1e-8),
                    Lower = plans.Number(properties, "percentile_00_5", field + ".percentile_00_5"),
                    Upper = plans.Number(properties, "percentile_99_5", field + ".percentile_99_5"),
                };
            case "ZScoreNormalization":
                return new NormalizationConfig(NormalizationScheme.ZScore) { NonzeroMaskOnly = configuration.UseMaskForNorm[channel] };
            case "RescaleTo01Normalization":
                return new NormalizationConfig(NormalizationScheme.Rescale01);
            case "NoNormalization":
                return new NormalizationConfig(NormalizationScheme.None);
            default:
                throw new NnUnetImportException("UnknownNormalizationScheme", plans.Path,
                    NnUnetJsonFile.Item(configuration.Fields.Field("normalization_schemes"), channel),
                    $"is '{scheme}'; the schemes reproduced are CTNormalization, ZScoreNormalization, RescaleTo01Normalization and NoNormalization");
        }
    }
}
