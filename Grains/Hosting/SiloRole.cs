namespace InnerEye.Grains.Hosting;

/// <summary>What a silo hosts, from configuration (<c>Silo:Role</c>).</summary>
public enum SiloRole
{
    /// <summary>Everything: the embedded single-process service. Model grains may run on its CPU.</summary>
    All,

    /// <summary>A GPU silo: its metadata says <c>accelerator = gpu</c>, so model grains are placed here.</summary>
    Gpu,

    /// <summary>A CPU silo: segmentation grains and everything else; model grains only with CPU fallback on.</summary>
    Cpu,
}
