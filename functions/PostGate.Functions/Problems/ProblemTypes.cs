namespace PostGate.Functions.Problems;

/// <summary>Stable <c>type</c> URIs of the problem details the API returns (RFC 9457).</summary>
public static class ProblemTypes
{
    public const string InvalidRequest = "urn:postgate:problem:invalid-request";
    public const string UnsupportedMediaType = "urn:postgate:problem:unsupported-media-type";
    public const string Unauthorized = "urn:postgate:problem:unauthorized";
    public const string Forbidden = "urn:postgate:problem:forbidden";
    public const string NotFound = "urn:postgate:problem:not-found";
    public const string MethodNotAllowed = "urn:postgate:problem:method-not-allowed";
    public const string IdempotencyKeyReused = "urn:postgate:problem:idempotency-key-reused";
    public const string DecisionNotHeld = "urn:postgate:problem:decision-not-held";
    public const string AlreadyReviewed = "urn:postgate:problem:already-reviewed";
    public const string StorageUnavailable = "urn:postgate:problem:storage-unavailable";
    public const string Unexpected = "urn:postgate:problem:unexpected";
}
