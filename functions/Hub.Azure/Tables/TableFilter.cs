using System.Globalization;
using System.Text;

namespace Hub.Azure.Tables;

/// <summary>
/// Builds OData <c>$filter</c> expressions with every interpolated value turned into a correctly quoted literal,
/// so that a user name containing <c>'</c> cannot change the query:
/// <c>TableFilter.Of($"PartitionKey eq {pk} and LastActivity lt {cutoff}")</c>.
/// </summary>
public static class TableFilter
{
    /// <summary>Formats the filter, quoting each argument as a literal of its type.</summary>
    public static string Of(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        object?[] arguments = filter.GetArguments();
        var literals = new object[arguments.Length];
        for (int i = 0; i < arguments.Length; i++)
        {
            literals[i] = Literal(arguments[i]);
        }
        return string.Format(CultureInfo.InvariantCulture, filter.Format, literals);
    }

    /// <summary>One value as an OData literal.</summary>
    public static string Literal(object? value) => value switch
    {
        null => throw new ArgumentException("The Table service has no null literal; test for a missing property another way."),
        string text => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'",
        bool flag => flag ? "true" : "false",
        int number => number.ToString(CultureInfo.InvariantCulture),
        long number => number.ToString(CultureInfo.InvariantCulture) + "L",
        double number => DoubleLiteral(number),
        DateTimeOffset time => "datetime'" + time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "'",
        DateTime time => Literal(time.Kind == DateTimeKind.Unspecified
            ? throw new ArgumentException("DateTime values must say whether they are UTC or local; use DateTimeOffset.")
            : new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero)),
        Guid guid => "guid'" + guid.ToString("D") + "'",
        byte[] bytes => "X'" + Convert.ToHexString(bytes) + "'",
        _ => throw new ArgumentException($"A value of type {value.GetType().Name} cannot be used in a table filter."),
    };

    private static string DoubleLiteral(double number)
    {
        if (!double.IsFinite(number))
        {
            throw new ArgumentException("NaN and infinities cannot be used in a table filter.");
        }
        string text = number.ToString("R", CultureInfo.InvariantCulture);
        // A literal without a point or exponent would be read as an integer.
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    /// <summary>Joins the non-empty expressions with <c>and</c>, parenthesised.</summary>
    public static string? And(params string?[] expressions)
    {
        var parts = expressions.Where(e => !string.IsNullOrWhiteSpace(e)).ToArray();
        if (parts.Length == 0)
        {
            return null;
        }
        if (parts.Length == 1)
        {
            return parts[0];
        }
        var builder = new StringBuilder();
        foreach (var part in parts)
        {
            if (builder.Length > 0)
            {
                builder.Append(" and ");
            }
            builder.Append('(').Append(part).Append(')');
        }
        return builder.ToString();
    }
}
