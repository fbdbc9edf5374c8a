using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;

namespace PostGate.Functions.Endpoints;

/// <summary>
/// A 200 answer written by the serializer generated for its type (<see cref="Contracts.ApiJsonContext"/>), as
/// <see cref="Microsoft.AspNetCore.Http.HttpResults.Ok{TValue}"/> writes it and with the same OpenAPI metadata. The
/// app's JSON options chain several resolvers, which rules out the generated fast path; the check's answer, written
/// on every request, takes it here.
/// </summary>
public sealed class JsonOk<TValue> : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<TValue>, IContentTypeHttpResult
{
    private readonly JsonTypeInfo<TValue> _typeInfo;

    public JsonOk(TValue value, JsonTypeInfo<TValue> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        Value = value;
        _typeInfo = typeInfo;
    }

    public TValue Value { get; }

    object? IValueHttpResult.Value => Value;

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.StatusCode = StatusCode;
        return httpContext.Response.WriteAsJsonAsync(Value, _typeInfo, ContentType, httpContext.RequestAborted);
    }

#pragma warning disable CA1000 // IEndpointMetadataProvider's member is static by design.
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TValue), ["application/json"]));
    }
#pragma warning restore CA1000
}
