using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace InnerEye.Grains.Hosting;

public static class SiloHosting
{
    /// <summary>
    /// The silo of this service, built the same way by the Silo process and by the front end's embedded mode: the
    /// cluster <see cref="InnerEyeHostSettings.Cluster"/> describes (state on local disk under <c>Storage:Path/state</c>
    /// for a one-process cluster; in a Kubernetes pod of a Redis cluster, Orleans' Kubernetes hosting), the grains and
    /// their services, and the dashboard's collector.
    /// </summary>
    public static IHostApplicationBuilder AddInnerEyeSiloHost(this IHostApplicationBuilder builder, InnerEyeHostSettings host)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(host);
        builder.UseOrleans(silo =>
        {
            silo.UseInnerEyeCluster(host.Cluster, Path.Combine(host.Silo.StoragePath, "state"), host.Silo.Permissions);
            // Reads the same POD_NAME, POD_IP and ORLEANS_* variables, and needs the pod RBAC of k8s/base/rbac.yaml.
            if (host.Cluster.UsesKubernetesHosting(builder.Configuration)) silo.UseKubernetesHosting();
            silo.AddInnerEyeSilo(host.Silo, host.Cluster.SiloName);
            silo.AddDashboard();
        });
        return builder;
    }
}
