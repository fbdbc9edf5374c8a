using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace PostGate.Functions.Contracts;

/// <summary>What a review does: <c>approve</c> or <c>reject</c> a held decision (final), or <c>comment</c> on any decision.</summary>
public static class ReviewActions
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Comment = "comment";

    public static IReadOnlyList<string> All { get; } = [Approve, Reject, Comment];

    /// <summary>Approve and reject settle a held decision; a decision has at most one of them.</summary>
    public static bool IsFinal(string action) => action is Approve or Reject;
}

/// <summary>
/// Reads the body of <c>POST /api/decisions/{accountId}/{decisionId}/reviews</c> field by field, every bad field
/// named by its JSON pointer, as <see cref="CheckRequest"/> does.
/// </summary>
public static class ReviewRequest
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxReasonLength = 2_000;
    public const int MaxActionLength = 32;

    private static readonly string[] Known = ["action", "reason", "reviewer"];

    public sealed record Result(string? Action, string? Reason, string? Reviewer, Dictionary<string, string[]> Errors)
    {
        public bool IsValid => Action is not null && Reason is not null && Errors.Count == 0;
    }

    public static Result Parse(ReadOnlySpan<byte> body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException ex)
        {
            errors[string.Empty] = [$"The body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})."];
            return new Result(null, null, null, errors);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                errors[string.Empty] = ["The body must be a JSON object."];
                return new Result(null, null, null, errors);
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!CheckRequest.TryGetName(property, out var name))
                {
                    errors[string.Empty] = ["A field name holds an unpaired surrogate escape (\\uD800-\\uDFFF)."];
                    return new Result(null, null, null, errors);
                }

                if (!seen.Add(name))
                {
                    CheckRequest.Add(errors, "/" + CheckRequest.Escape(name), "appears more than once.");
                }
                else if (!Known.Contains(name))
                {
                    CheckRequest.Add(errors, "/" + CheckRequest.Escape(name), $"is not a known field; expected one of {string.Join(", ", Known)}.");
                }
            }

            var action = CheckRequest.RequiredString(root, "action", MaxActionLength, errors);
            if (action is not null && !ReviewActions.All.Contains(action))
            {
                CheckRequest.Add(errors, "/action", $"must be one of {string.Join(", ", ReviewActions.All)} (was '{action}').");
                action = null;
            }

            var reason = CheckRequest.RequiredString(root, "reason", MaxReasonLength, errors, checkBlank: true);
            var reviewer = CheckRequest.OptionalString(root, "reviewer", CheckRequest.MaxIdLength, errors);
            return errors.Count > 0
                ? new Result(null, null, null, errors)
                : new Result(action, reason, reviewer, errors);
        }
    }
}

/// <summary>
/// The body of <c>POST /api/decisions/{accountId}/{decisionId}/reviews</c> as the API description shows it. The
/// endpoint reads the body with <see cref="ReviewRequest"/>; this record only describes it.
/// </summary>
public sealed record ReviewRequestBody(
    [property: Required]
    [property: Description("approve or reject a decision held for review (verdict 'review'), or comment on any decision.")]
    string Action,
    [property: Required, StringLength(ReviewRequest.MaxReasonLength, MinimumLength = 1)]
    [property: Description("Why: kept with the review for the compliance record.")]
    string Reason,
    [property: StringLength(CheckRequest.MaxIdLength, MinimumLength = 1)]
    [property: Description("Who reviewed. Used only when the caller is not authenticated by name; the authenticated name wins.")]
    string? Reviewer = null);
