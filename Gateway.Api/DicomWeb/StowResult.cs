namespace InnerEye.Gateway.Api.DicomWeb;

/// <summary>STOW-RS failure reasons (PS3.18 §10.5.3, PS3.4 Annex GG.4).</summary>
public static class StowFailureReasons
{
    /// <summary>Refused: out of resources (too large, or the intake could not record it).</summary>
    public const ushort OutOfResources = 0xA700;

    /// <summary>The StudyInstanceUID does not match the study in the request URL.</summary>
    public const ushort StudyMismatch = 0xA900;

    /// <summary>Cannot understand: not a DICOM file this service reads.</summary>
    public const ushort CannotUnderstand = 0xC000;
}

/// <summary>What became of one part: stored (or a duplicate acknowledged), or failed with a reason.</summary>
public sealed record StowPartResult(string? SopClassUid, string? SopInstanceUid, string? StudyInstanceUid, string? SeriesInstanceUid,
    ushort? FailureReason, string? FailureDetail)
{
    public bool Stored => FailureReason is null;
}

/// <summary>The outcome of a STOW-RS request: 200 when every part was stored, 202 when some were, 409 when none.</summary>
public sealed record StowResult(IReadOnlyList<StowPartResult> Parts)
{
    public int StatusCode => Parts.All(p => p.Stored) ? StatusCodes.Status200OK
        : Parts.Any(p => p.Stored) ? StatusCodes.Status202Accepted
        : StatusCodes.Status409Conflict;
}
