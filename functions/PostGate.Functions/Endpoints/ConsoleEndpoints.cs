using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace PostGate.Functions.Endpoints;

/// <summary>
/// The compliance console: a page and its scripts and styles, embedded in the app so it works offline and ships in
/// every build. The page is public; everything it shows comes from the API with the caller's own credentials.
/// </summary>
public static class ConsoleEndpoints
{
    /// <summary>Where the console lives. The Functions host forwards only <c>/api/…</c>, so it lives there too.</summary>
    public const string BasePath = "/api/console/";

    /// <summary>
    /// Scripts, styles, images and API calls from the gate only: no inline script or style, nothing from elsewhere,
    /// no framing, no form posts.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string ResourcePrefix = "console/";

    private static readonly FrozenDictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly Lazy<FrozenDictionary<string, Asset>> Assets = new(LoadAssets);

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    public static RouteGroupBuilder MapConsoleEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/console/{*path}", Serve)
            .WithName("Console")
            .AllowAnonymous()
            .WithSummary("The compliance console (a web page and its assets); it calls this API with the credentials its user signs in with.")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    /// <summary><c>/console</c> outside the API prefix, for people typing the address locally.</summary>
    public static IEndpointConventionBuilder MapConsoleRedirect(this IEndpointRouteBuilder app) =>
        app.MapGet("/console", () => TypedResults.Redirect(BasePath)).AllowAnonymous().ExcludeFromDescription();

    public static Results<FileContentHttpResult, StatusCodeHttpResult, RedirectHttpResult, ProblemHttpResult> Serve(HttpContext context, string? path)
    {
        ArgumentNullException.ThrowIfNull(context);

        // NOTE: the page's relative links need the trailing slash, so /api/console goes to /api/console/.
        if (string.IsNullOrEmpty(path) && !context.Request.Path.Value!.EndsWith('/'))
        {
            return TypedResults.Redirect(BasePath);
        }

        var name = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (!Assets.Value.TryGetValue(name, out var asset))
        {
            return Problems.Problems.NotFound("The console has no such file.");
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.File(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> LoadAssets()
    {
        var assembly = typeof(ConsoleEndpoints).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..].Replace('\\', '/');
            if (!ContentTypes.TryGetValue(Path.GetExtension(name), out var contentType))
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var etag = new EntityTagHeaderValue("\"" + Convert.ToHexStringLower(SHA256.HashData(content))[..32] + "\"").ToString();
            assets[name] = new Asset(content, contentType, etag);
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The console's files, by path under <see cref="BasePath"/>.</summary>
    internal static IReadOnlyCollection<string> Files => Assets.Value.Keys;
}
