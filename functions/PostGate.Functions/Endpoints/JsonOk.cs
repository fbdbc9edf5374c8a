using System.Buffers;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;

namespace PostGate.Functions.Endpoints;

/// <summary>
/// A 200 answer written by the serializer generated for its type (<see cref="Contracts.ApiJsonContext"/>), as
/// <see cref="Microsoft.AspNetCore.Http.HttpResults.Ok{TValue}"/> writes it and with the same OpenAPI metadata. The
/// app's JSON options chain several resolvers, which rules out the generated fast path; the check's answer, written
/// on every request, takes it here. The answer is serialized whole before it is sent, so it goes out with a
/// <c>Content-Length</c> in one write rather than in chunks. An encoder given here is the writer's, not the
/// serializer options': options with an encoder of their own would leave the generated fast path.
/// </summary>
public sealed class JsonOk<TValue> : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<TValue>, IContentTypeHttpResult
{
    private readonly JsonTypeInfo<TValue> _typeInfo;
    private readonly JavaScriptEncoder? _encoder;

    public JsonOk(TValue value, JsonTypeInfo<TValue> typeInfo, JavaScriptEncoder? encoder = null)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        Value = value;
        _typeInfo = typeInfo;
        _encoder = encoder;
    }

    public TValue Value { get; }

    object? IValueHttpResult.Value => Value;

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        response.ContentType = ContentType;
        var writer = AnswerWriter.Rent(_typeInfo.Options, _encoder);
        try
        {
            JsonSerializer.Serialize(writer.Json, Value, _typeInfo);
            writer.Json.Flush();
            response.ContentLength = writer.Buffer.WrittenCount;

            // NOTE: Write copies the bytes into the response's pipe, so the buffer is free again before the flush.
            response.BodyWriter.Write(writer.Buffer.WrittenSpan);
        }
        finally
        {
            AnswerWriter.Return(writer);
        }

        return response.BodyWriter.FlushAsync(httpContext.RequestAborted).AsTask();
    }

#pragma warning disable CA1000 // IEndpointMetadataProvider's member is static by design.
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TValue), ["application/json"]));
    }
#pragma warning restore CA1000
}

/// <summary>A JSON writer and its buffer, kept per thread for <see cref="JsonOk{TValue}"/>.</summary>
internal sealed class AnswerWriter
{
    /// <summary>Buffers kept past one answer up to this size; a larger one is dropped after use.</summary>
    public const int KeptBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static AnswerWriter? t_kept;

    private AnswerWriter(JsonSerializerOptions options, JavaScriptEncoder? encoder)
    {
        Options = options;
        Encoder = encoder;
        Buffer = new ArrayBufferWriter<byte>(4096);
        Json = new Utf8JsonWriter(Buffer, new JsonWriterOptions
        {
            Encoder = encoder ?? options.Encoder,
            Indented = options.WriteIndented,
            IndentCharacter = options.IndentCharacter,
            IndentSize = options.IndentSize,
            NewLine = options.NewLine,
            MaxDepth = options.MaxDepth,
        });
    }

    public JsonSerializerOptions Options { get; }

    /// <summary>The encoder given for the writer, if any (else the options' encoder is used).</summary>
    public JavaScriptEncoder? Encoder { get; }

    public ArrayBufferWriter<byte> Buffer { get; }

    public Utf8JsonWriter Json { get; }

    /// <summary>
    /// This thread's writer for <paramref name="options"/> and <paramref name="encoder"/>, empty; a new one when it is
    /// in use or set up otherwise.
    /// </summary>
    public static AnswerWriter Rent(JsonSerializerOptions options, JavaScriptEncoder? encoder = null)
    {
        var kept = t_kept;
        t_kept = null;
        return kept is not null && ReferenceEquals(kept.Options, options) && ReferenceEquals(kept.Encoder, encoder)
            ? kept
            : new AnswerWriter(options, encoder);
    }

    /// <summary>Empties the writer and keeps it for the thread's next answer, unless its buffer grew past the limit.</summary>
    public static void Return(AnswerWriter writer)
    {
        if (writer.Buffer.Capacity > KeptBufferBytes)
        {
            return;
        }

        writer.Buffer.ResetWrittenCount();
        writer.Json.Reset(writer.Buffer);
        t_kept = writer;
    }
}
