using System.Collections;
using Azure;

namespace Hub.Azure.Tables;

/// <summary>
/// One Table entity: its keys, its ETag and a bag of typed properties. Property values are
/// <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>,
/// <see cref="DateTimeOffset"/>, <see cref="Guid"/> or <see cref="byte"/>[]; they are written with the EDM type
/// annotations the service needs (Int64, DateTime, Guid, Binary, Double) and read back as the same CLR types.
/// A <c>null</c> value is not written (the Table service has no nulls).
/// </summary>
public sealed class TableEntity : IEnumerable<KeyValuePair<string, object?>>
{
    private readonly Dictionary<string, object?> _properties = new(StringComparer.Ordinal);

    public TableEntity(string partitionKey, string rowKey)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; set; }

    public string RowKey { get; set; }

    /// <summary>The version the service returned with this entity; <c>default</c> for an entity not read from the service.</summary>
    public ETag ETag { get; set; }

    /// <summary>The service-maintained time of the last change, when the entity was read from the service.</summary>
    public DateTimeOffset? Timestamp { get; set; }

    /// <summary>The names of the properties other than the keys, the ETag and the timestamp.</summary>
    public IReadOnlyCollection<string> PropertyNames => _properties.Keys;

    public object? this[string name]
    {
        get => _properties.GetValueOrDefault(name);
        set
        {
            TableEntityJson.ValidateProperty(name, value);
            _properties[name] = value is DateTime dateTime ? ToOffset(dateTime) : value;
        }
    }

    public bool Remove(string name) => _properties.Remove(name);

    public bool ContainsProperty(string name) => _properties.ContainsKey(name);

    public string? GetString(string name) => _properties.GetValueOrDefault(name) as string;

    public bool? GetBoolean(string name) => _properties.GetValueOrDefault(name) as bool?;

    public int? GetInt32(string name) => _properties.GetValueOrDefault(name) switch
    {
        int value => value,
        long value when value is >= int.MinValue and <= int.MaxValue => (int)value,
        _ => null,
    };

    public long? GetInt64(string name) => _properties.GetValueOrDefault(name) switch
    {
        long value => value,
        int value => value,
        _ => null,
    };

    public double? GetDouble(string name) => _properties.GetValueOrDefault(name) switch
    {
        double value => value,
        int value => value,
        long value => value,
        _ => null,
    };

    public DateTimeOffset? GetDateTimeOffset(string name) => _properties.GetValueOrDefault(name) as DateTimeOffset?;

    public Guid? GetGuid(string name) => _properties.GetValueOrDefault(name) as Guid?;

    public byte[]? GetBinary(string name) => _properties.GetValueOrDefault(name) as byte[];

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static DateTimeOffset ToOffset(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => new DateTimeOffset(value, TimeSpan.Zero),
        DateTimeKind.Local => new DateTimeOffset(value.ToUniversalTime(), TimeSpan.Zero),
        _ => throw new ArgumentException("DateTime values must say whether they are UTC or local; use DateTimeOffset."),
    };

    internal void SetRaw(string name, object? value) => _properties[name] = value;
}
