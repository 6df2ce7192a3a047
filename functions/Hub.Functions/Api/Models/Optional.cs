using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hub.Functions.Api.Models;

/// <summary>
/// A response field that the caller's scopes may leave out, and that may be <c>null</c> when shown (JupyterHub's
/// <c>last_activity</c> or <c>server</c>): left out while <see langword="default"/>, written as its value otherwise. Declare
/// the property with <c>[JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]</c>.
/// </summary>
[JsonConverter(typeof(OptionalConverterFactory))]
public readonly record struct Optional<T>
{
    public Optional(T value)
    {
        Value = value;
        IsShown = true;
    }

    public T Value { get; }

    public bool IsShown { get; }

    public static implicit operator Optional<T>(T value) => new(value);
}

/// <summary>Writes an <see cref="Optional{T}"/> as its value (the property is left out while it is not shown).</summary>
public sealed class OptionalConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(OptionalConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class OptionalConverter<T> : JsonConverter<Optional<T>>
    {
        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(JsonSerializer.Deserialize<T>(ref reader, options)!);

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, options);
    }
}
