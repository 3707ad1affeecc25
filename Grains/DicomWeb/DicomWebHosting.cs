using InnerEye.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace InnerEye.Grains.DicomWeb;

public static class DicomWebHosting
{
    /// <summary>The DICOMweb settings, bound from <c>DicomWeb</c> and validated at start, the router and the STOW-RS client.</summary>
    public static IServiceCollection AddDicomWebIntake(this IServiceCollection services)
    {
        services.AddValidatedOptions<DicomWebOptions, DicomWebOptionsValidator>(DicomWebOptions.Section);
        services.AddSingleton(sp => new DicomWebRouter(sp.GetRequiredService<IOptions<DicomWebOptions>>().Value.Routes));
        services.AddSingleton(_ => new StowClient(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        }));
        return services;
    }
}
