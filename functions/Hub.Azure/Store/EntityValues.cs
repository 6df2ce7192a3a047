using System.Text.Json;
using Azure.Data.Tables;
using Hub.Core.Users;

namespace Hub.Azure.Store;

/// <summary>Conversions shared by the record maps: lists, enums, required values, key checks.</summary>
internal static class EntityValues
{
    public static string WriteList(IReadOnlyList<string> values) => JsonSerializer.Serialize(values);

    public static IReadOnlyList<string> ReadList(TableEntity entity, string name) =>
        entity.GetString(name) is { Length: > 0 } json ? JsonSerializer.Deserialize<string[]>(json) ?? [] : [];

    public static TEnum ReadEnum<TEnum>(TableEntity entity, string name, TEnum fallback) where TEnum : struct, Enum =>
        Enum.TryParse<TEnum>(entity.GetString(name), ignoreCase: false, out var value) ? value : fallback;

    public static string Required(TableEntity entity, string name) =>
        entity.GetString(name) ?? throw new InvalidDataException($"Entity ({entity.PartitionKey}, {entity.RowKey}) lacks its {name} property.");

    public static DateTimeOffset RequiredTime(TableEntity entity, string name) =>
        entity.GetDateTimeOffset(name) ?? throw new InvalidDataException($"Entity ({entity.PartitionKey}, {entity.RowKey}) lacks its {name} property.");

    /// <summary>The key of a user name, refusing names that no policy could have produced.</summary>
    public static string UserKey(string user) =>
        UserNamePolicy.WellFormednessProblem(user) is { } problem ? throw new InvalidUserNameException(problem) : TableKey.Encode(user);

    /// <summary>Hashes are 64 lower-case hex digits; anything else is a caller's bug.</summary>
    public static string HashKey(string hash)
    {
        if (hash.Length != 64 || !hash.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f'))
        {
            throw new ArgumentException("Expected a lower-case hex SHA-256 hash.", nameof(hash));
        }
        return hash;
    }
}
