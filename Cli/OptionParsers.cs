using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace InnerEye.Cli;

/// <summary>Options whose values are checked as they are parsed, each error naming the option and the value.</summary>
internal static class OptionParsers
{
    public static Option<int> Integer(string name, string helpName, string description, int min, int max, int? defaultValue = null)
    {
        var option = new Option<int>(name) { HelpName = helpName, Description = description };
        option.CustomParser = r => Integer(r, name, min, max) ?? defaultValue ?? 0;
        if (defaultValue is { } d) option.DefaultValueFactory = _ => d;
        return option;
    }

    public static Option<int?> OptionalInteger(string name, string helpName, string description, int min, int max) =>
        new(name) { HelpName = helpName, Description = description, CustomParser = r => Integer(r, name, min, max) };

    public static Option<double?> OptionalNumber(string name, string helpName, string description) => new(name)
    {
        HelpName = helpName,
        Description = description,
        CustomParser = r =>
        {
            if (r.Tokens.Count == 0) return null;
            var text = r.Tokens[^1].Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)) return value;
            r.AddError($"{name} must be a number, not '{text}'.");
            return null;
        },
    };

    /// <summary>Comma-separated whole numbers, such as 0,1,2.</summary>
    public static Option<int[]?> IntegerList(string name, string helpName, string description, string? allWord = null) => new(name)
    {
        HelpName = helpName,
        Description = description,
        CustomParser = r =>
        {
            if (r.Tokens.Count == 0) return null;
            var text = r.Tokens[^1].Value;
            if (allWord is not null && text == allWord) return null;
            var parts = text.Split(',', StringSplitOptions.TrimEntries);
            var values = new int[parts.Length];
            for (var i = 0; i < parts.Length; i++)
            {
                if (int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i])) continue;
                r.AddError($"{name} must be {(allWord is null ? "" : $"'{allWord}' or ")}whole numbers such as 0,1, not '{text}'.");
                return null;
            }
            return values;
        },
    };

    /// <summary>One of <paramref name="choices"/> (case-insensitive), as its value.</summary>
    public static Option<T> Choice<T>(string name, string description, T defaultValue, params (string Word, T Value)[] choices)
    {
        var words = string.Join(", ", choices.Select(c => c.Word));
        return new Option<T>(name)
        {
            HelpName = string.Join('|', choices.Select(c => c.Word)),
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = r =>
            {
                if (r.Tokens.Count == 0) return defaultValue;
                var text = r.Tokens[^1].Value;
                foreach (var (word, value) in choices)
                {
                    if (string.Equals(word, text, StringComparison.OrdinalIgnoreCase)) return value;
                }
                r.AddError($"{name} must be one of {words}, not '{text}'.");
                return defaultValue;
            },
        };
    }

    /// <summary>
    /// The option's value where the command line gives it, else null: a list option that is not given reads as an empty
    /// list, which for these options would mean "none" rather than "the default".
    /// </summary>
    public static T? GivenValue<T>(this ParseResult result, Option<T> option) =>
        result.GetResult(option) is { Implicit: false } ? result.GetValue(option) : default;

    public static Option<string> Text(string name, string helpName, string description, bool required = false) =>
        new(name) { HelpName = helpName, Description = description, Required = required };

    private static int? Integer(ArgumentResult r, string name, int min, int max)
    {
        if (r.Tokens.Count == 0) return null;
        var text = r.Tokens[^1].Value;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            r.AddError($"{name} '{text}' is not a whole number.");
            return null;
        }
        if (value >= min && value <= max) return value;
        r.AddError($"{name} {value} is out of range ({min} to {max}).");
        return null;
    }
}
