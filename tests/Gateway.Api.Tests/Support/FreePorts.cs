using System.Net;
using System.Net.Sockets;

namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>Loopback ports nobody listens on now, so that several silos and servers run side by side.</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
