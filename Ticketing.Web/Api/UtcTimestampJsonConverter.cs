using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ticketing.Web.Api;

/// <summary>
/// Timestamps go out as ISO 8601 in UTC with a <c>Z</c> (the default writes <c>+00:00</c>), and a
/// timestamp that comes in without an offset is read as UTC rather than as the server's local time.
/// </summary>
public sealed class UtcTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException("A timestamp must be a string.");
        }

        if (reader.TryGetDateTime(out var dateTime) && dateTime.Kind == DateTimeKind.Unspecified)
        {
            return new DateTimeOffset(dateTime, TimeSpan.Zero);
        }

        return reader.TryGetDateTimeOffset(out var value)
            ? value
            : throw new JsonException("A timestamp must be in ISO 8601 format.");
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime);
}
