using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Azure;

namespace Hub.Azure.Tables;

/// <summary>The JSON wire format of entities (OData v3 "JSON light" with minimal metadata).</summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";
    private const string DateTimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    /// <summary>Names the service keeps for itself or that our reader would take for annotations.</summary>
    public static void ValidateProperty(string name, object? value)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 255)
        {
            throw new ArgumentException("A property name must have 1 to 255 characters.", nameof(name));
        }
        if (name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag" || name.Contains('@') || name.Contains('.'))
        {
            throw new ArgumentException($"'{name}' cannot be used as a property name.", nameof(name));
        }
        if (value is not (null or string or int or long or double or bool or DateTimeOffset or DateTime or Guid or byte[]))
        {
            throw new ArgumentException($"Property '{name}' has a value of type {value.GetType().Name}, which the Table service cannot store.", nameof(value));
        }
    }

    public static BinaryData Write(TableEntity entity)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteObject(writer, entity);
        }
        return new BinaryData(buffer.WrittenMemory);
    }

    public static void WriteObject(Utf8JsonWriter writer, TableEntity entity)
    {
        writer.WriteStartObject();
        writer.WriteString("PartitionKey", entity.PartitionKey);
        writer.WriteString("RowKey", entity.RowKey);
        foreach (var (name, value) in entity)
        {
            WriteProperty(writer, name, value);
        }
        writer.WriteEndObject();
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string text:
                writer.WriteString(name, text);
                return;
            case bool flag:
                writer.WriteBoolean(name, flag);
                return;
            case int number:
                writer.WriteNumber(name, number);
                return;
            case long number:
                writer.WriteString(name, number.ToString(CultureInfo.InvariantCulture));
                writer.WriteString(name + TypeSuffix, "Edm.Int64");
                return;
            case double number:
                // Whole numbers would come back as Int32 without the annotation; NaN and infinities travel as strings.
                if (double.IsFinite(number))
                {
                    writer.WriteNumber(name, number);
                }
                else
                {
                    writer.WriteString(name, double.IsNaN(number) ? "NaN" : number > 0 ? "Infinity" : "-Infinity");
                }
                writer.WriteString(name + TypeSuffix, "Edm.Double");
                return;
            case DateTimeOffset time:
                writer.WriteString(name, time.UtcDateTime.ToString(DateTimeFormat, CultureInfo.InvariantCulture));
                writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                return;
            case Guid guid:
                writer.WriteString(name, guid.ToString("D"));
                writer.WriteString(name + TypeSuffix, "Edm.Guid");
                return;
            case byte[] bytes:
                writer.WriteBase64String(name, bytes);
                writer.WriteString(name + TypeSuffix, "Edm.Binary");
                return;
            default:
                throw new ArgumentException($"Property '{name}' has a value of type {value.GetType().Name}, which the Table service cannot store.");
        }
    }

    /// <summary>Reads one entity object; <paramref name="etagHeader"/> wins over the body's <c>odata.etag</c>.</summary>
    public static TableEntity Read(JsonElement element, string? etagHeader = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"expected an entity object, found {element.ValueKind}");
        }

        var entity = new TableEntity(
            element.TryGetProperty("PartitionKey", out var pk) ? pk.GetString() ?? "" : "",
            element.TryGetProperty("RowKey", out var rk) ? rk.GetString() ?? "" : "");

        string? etag = etagHeader;
        foreach (var property in element.EnumerateObject())
        {
            string name = property.Name;
            if (name is "PartitionKey" or "RowKey" || name.StartsWith("odata.", StringComparison.Ordinal) || name.Contains('@'))
            {
                if (name == "odata.etag" && etag is null)
                {
                    etag = property.Value.GetString();
                }
                continue;
            }

            string? edmType = element.TryGetProperty(name + TypeSuffix, out var annotation) ? annotation.GetString() : null;
            object? value = ReadValue(property.Value, edmType, name);
            if (name == "Timestamp")
            {
                entity.Timestamp = value as DateTimeOffset? ?? (value is string text ? ParseDate(text, name) : null);
                continue;
            }
            entity.SetRaw(name, value);
        }

        if (etag is not null)
        {
            entity.ETag = new ETag(etag);
        }
        return entity;
    }

    private static object? ReadValue(JsonElement value, string? edmType, string name)
    {
        switch (edmType)
        {
            case "Edm.Int64":
                return long.Parse(value.GetString() ?? throw Bad(name, edmType), NumberStyles.Integer, CultureInfo.InvariantCulture);
            case "Edm.DateTime":
                return ParseDate(value.GetString() ?? throw Bad(name, edmType), name);
            case "Edm.Guid":
                return Guid.Parse(value.GetString() ?? throw Bad(name, edmType));
            case "Edm.Binary":
                return value.GetBytesFromBase64();
            case "Edm.Double":
                return value.ValueKind == JsonValueKind.String
                    ? value.GetString() switch
                    {
                        "NaN" => double.NaN,
                        "Infinity" => double.PositiveInfinity,
                        "-Infinity" => double.NegativeInfinity,
                        var text => double.Parse(text ?? throw Bad(name, edmType), NumberStyles.Float, CultureInfo.InvariantCulture),
                    }
                    : value.GetDouble();
            case "Edm.Int32":
                return value.GetInt32();
            case "Edm.Boolean":
                return value.GetBoolean();
            case "Edm.String":
                return value.GetString();
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when value.TryGetInt32(out int number) => number,
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.Null => null,
            _ => throw new JsonException($"property '{name}' has an unsupported JSON value ({value.ValueKind})"),
        };
    }

    private static DateTimeOffset ParseDate(string text, string name)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }
        throw new JsonException($"property '{name}' is not a valid date: '{text}'");
    }

    private static JsonException Bad(string name, string type) => new($"property '{name}' of type {type} has no value");
}
