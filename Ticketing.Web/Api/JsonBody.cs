using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;

namespace Ticketing.Web.Api;

/// <summary>
/// Reads request bodies into the API's request records. The endpoints parse bodies themselves
/// rather than through parameter binding so that every failure (no body, not JSON, a wrong type in
/// one field) becomes a 400 in the errors shape, naming the field where there is one.
/// </summary>
internal static partial class JsonBody
{
    /// <summary>Far above any real request; keeps a hostile client from making the server buffer megabytes.</summary>
    public const int MaxBytes = 1024 * 1024;

    // Strict numbers: a price sent as "12.50" is a client bug to report, not to guess at.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.Strict,
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        Converters = { new UtcTimestampJsonConverter() },
    };

    public static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads a JSON object into <typeparamref name="T"/>; unknown members are ignored.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken)
        where T : class
    {
        var bytes = await ReadBytesAsync(request, cancellationToken);
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            throw ApiRequestException.BadRequest("A JSON request body is required");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException)
        {
            throw ApiRequestException.BadRequest("The request body is not valid JSON");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw ApiRequestException.BadRequest("The request body must be a JSON object");
            }

            try
            {
                return document.RootElement.Deserialize<T>(Options)
                    ?? throw ApiRequestException.BadRequest("The request body must be a JSON object");
            }
            catch (JsonException ex)
            {
                throw WrongType<T>(ex.Path);
            }
        }
    }

    /// <summary>The raw body as text, for callers that verify a signature over the exact bytes sent.</summary>
    public static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await ReadBytesAsync(request, cancellationToken));

    private static async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw TooLarge();
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw TooLarge();
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static ApiRequestException TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, [new ApiError($"The request body must be at most {MaxBytes / (1024 * 1024)} MB")]);

    private static ApiRequestException WrongType<T>(string? path)
    {
        var match = FirstMember().Match(path ?? string.Empty);
        var name = match.Groups["dotted"].Success ? match.Groups["dotted"].Value : match.Groups["quoted"].Value;
        var field = Options.GetTypeInfo(typeof(T)).Properties
            .FirstOrDefault(p => name.Length > 0 && p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        return field is null
            ? ApiRequestException.BadRequest("The request body has a value of the wrong type")
            : ApiRequestException.BadRequest($"{field.Name} must be {Expected(field.PropertyType)}", field.Name);
    }

    private static string Expected(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => "a string",
        var t when t == typeof(Guid) => "a valid id",
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t when t == typeof(decimal) || t == typeof(double) => "a number",
        var t when t == typeof(DateTimeOffset) || t == typeof(DateTime) => "an ISO 8601 timestamp",
        var t when t == typeof(bool) => "true or false",
        _ => "a valid value",
    };

    // "$.price", "$.price[0]", "$['price']": the top-level member the bad value sits under.
    [GeneratedRegex(@"^\$(?:\.(?<dotted>[^.\[]+)|\['(?<quoted>[^']+)'\])")]
    private static partial Regex FirstMember();
}
