namespace InnerEye.Grains.Hosting;

/// <summary>What this silo hosts (configuration section <c>Silo</c>).</summary>
public sealed class SiloRoleOptions
{
    public const string Section = "Silo";

    public SiloRole Role { get; set; } = SiloRole.All;
}
