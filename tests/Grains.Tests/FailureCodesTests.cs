namespace InnerEye.Grains.Tests;

public sealed class FailureCodesTests
{
    [Theory]
    [InlineData(FailureCodes.TransientFaultsExhausted)]
    [InlineData(FailureCodes.NoModelSilo)]
    [InlineData(FailureCodes.InputMissing)]
    [InlineData(FailureCodes.Unknown)]
    [InlineData("ModelNotFound")]
    [InlineData(null)]
    public void TheServicesOwnFailuresAreServiceFaults(string? code) => Assert.True(FailureCodes.IsServiceFault(code));

    [Theory]
    [InlineData("InvalidZip")]
    [InlineData("NoImages")]
    [InlineData("NonUniformSliceSpacing")]
    [InlineData("InputChannelMissing")]
    public void ImagingAndInputErrorsAreTheUploads(string code) => Assert.False(FailureCodes.IsServiceFault(code));
}
