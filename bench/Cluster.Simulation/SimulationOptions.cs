using System.Globalization;

namespace InnerEye.Cluster.Simulation;

/// <summary>The simulation's parameters, from the command line.</summary>
public sealed record SimulationOptions
{
    public int Jobs { get; init; } = 200;

    /// <summary>Jobs submitted and not yet ended at any time: the steady load.</summary>
    public int InFlight { get; init; } = 48;

    public int Silos { get; init; } = 8;

    /// <summary>Silos with the GPU role (the model replicas, one per silo); the others hold the job grains.</summary>
    public int GpuSilos { get; init; } = 2;

    /// <summary>Kill a random silo (and start a replacement of its role) this often; none when null.</summary>
    public TimeSpan? KillEvery { get; init; }

    public TimeSpan RetentionPeriod { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan RedriveInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>A job not ended this long after its submission counts as lost.</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    public int Rows { get; init; } = 32;

    public int Columns { get; init; } = 32;

    public int Slices { get; init; } = 8;

    public int Seed { get; init; } = 1;

    public const string Usage =
        "usage: cluster-simulation [--jobs N] [--in-flight N] [--silos N] [--gpu-silos N] [--kill-every SECONDS] " +
        "[--retention SECONDS] [--job-timeout SECONDS] [--rows R] [--cols C] [--slices Z] [--seed N]";

    public static SimulationOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SimulationOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Count) throw new ArgumentException($"{name} needs a value.\n{Usage}");
            var value = args[++i];
            options = name switch
            {
                "--jobs" => options with { Jobs = Positive(name, value) },
                "--in-flight" => options with { InFlight = Positive(name, value) },
                "--silos" => options with { Silos = Positive(name, value) },
                "--gpu-silos" => options with { GpuSilos = Positive(name, value) },
                "--kill-every" => options with { KillEvery = Seconds(name, value) },
                "--retention" => options with { RetentionPeriod = Seconds(name, value) },
                "--job-timeout" => options with { JobTimeout = Seconds(name, value) },
                "--rows" => options with { Rows = Positive(name, value) },
                "--cols" => options with { Columns = Positive(name, value) },
                "--slices" => options with { Slices = Positive(name, value) },
                "--seed" => options with { Seed = Positive(name, value) },
                _ => throw new ArgumentException($"Unknown option {name}.\n{Usage}"),
            };
        }
        if (options.GpuSilos >= options.Silos) throw new ArgumentException("--gpu-silos must leave at least one silo for the job grains.");
        return options;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
            : throw new ArgumentException($"{name} takes a positive whole number, not '{value}'.");

    private static TimeSpan Seconds(string name, string value) => TimeSpan.FromSeconds(Positive(name, value));
}
