namespace InnerEye.Gateway.Api.Tests.Support;

/// <summary>The real server on a socket, for the browser: a page's images and links are fetched over the network.</summary>
public sealed class UiGatewayFactory() : KestrelGatewayFactory(null);
