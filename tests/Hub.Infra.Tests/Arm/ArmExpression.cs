using System.Text;
using System.Text.RegularExpressions;

namespace Hub.Infra.Tests.Arm;

/// <summary>
/// Just enough of the ARM template expression language to check a template without Azure: which functions an
/// expression calls, which parameters and variables it names, and whether its brackets and quotes balance.
/// </summary>
internal static partial class ArmExpression
{
    /// <summary>The template functions of ARM (https://learn.microsoft.com/azure/azure-resource-manager/templates/template-functions).</summary>
    public static readonly IReadOnlySet<string> TemplateFunctions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        // any, arrays and objects
        "array", "concat", "contains", "createArray", "createObject", "empty", "filter", "first", "flatten", "indexOf",
        "intersection", "items", "join", "json", "last", "lastIndexOf", "length", "map", "max", "min", "null", "objectKeys",
        "range", "reduce", "shallowMerge", "skip", "sort", "take", "toObject", "tryGet", "union", "lambda", "lambdaVariables",
        // comparison and logic
        "coalesce", "equals", "greater", "greaterOrEquals", "less", "lessOrEquals", "and", "bool", "false", "if", "not", "or", "true",
        // numbers
        "add", "div", "float", "int", "mod", "mul", "sub",
        // strings
        "base64", "base64ToJson", "base64ToString", "dataUri", "dataUriToString", "endsWith", "format", "guid", "newGuid",
        "padLeft", "replace", "split", "startsWith", "string", "substring", "toLower", "toUpper", "trim", "uniqueString",
        "uri", "uriComponent", "uriComponentToString", "utcNow",
        // dates and networks
        "dateTimeAdd", "dateTimeFromEpoch", "dateTimeToEpoch", "parseCidr", "cidrSubnet", "cidrHost",
        // deployment and resources
        "deployment", "environment", "parameters", "variables", "extensionResourceId", "managementGroup",
        "managementGroupResourceId", "pickZones", "providers", "reference", "references", "resourceGroup", "resourceId",
        "subscription", "subscriptionResourceId", "tenant", "tenantResourceId",
    };

    /// <summary>A JSON string that ARM evaluates: <c>[…]</c>, but not the escaped literal <c>[[…</c>.</summary>
    public static bool IsExpression(string text) =>
        text.Length >= 2 && text[0] == '[' && text[^1] == ']' && !text.StartsWith("[[", StringComparison.Ordinal);

    /// <summary>Names of the functions an expression calls, in order (<c>listKeys</c> and other <c>list*</c> included).</summary>
    public static IReadOnlyList<string> FunctionsCalled(string expression) =>
        FunctionCall().Matches(WithoutStrings(expression)).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The literal first arguments of every call to <paramref name="function"/>, e.g. the names in <c>parameters('x')</c>.</summary>
    public static IReadOnlyList<string> LiteralArguments(string expression, string function) =>
        Regex.Matches(expression, $@"(?<![A-Za-z0-9_.]){Regex.Escape(function)}\(\s*'((?:[^']|'')*)'")
            .Select(m => m.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal))
            .ToList();

    /// <summary>Whether parentheses and square brackets nest properly and every quote is closed.</summary>
    public static bool IsBalanced(string expression)
    {
        var open = new Stack<char>();
        bool inString = false;
        string body = expression[1..^1];
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (inString)
            {
                if (c == '\'' && i + 1 < body.Length && body[i + 1] == '\'')
                {
                    i++;
                }
                else if (c == '\'')
                {
                    inString = false;
                }
                continue;
            }
            switch (c)
            {
                case '\'':
                    inString = true;
                    break;
                case '(' or '[':
                    open.Push(c);
                    break;
                case ')' when open.Count == 0 || open.Pop() != '(':
                case ']' when open.Count == 0 || open.Pop() != '[':
                    return false;
            }
        }
        return !inString && open.Count == 0;
    }

    /// <summary>The expression with every quoted string replaced by <c>''</c>, so that text inside strings is not taken for calls.</summary>
    public static string WithoutStrings(string expression)
    {
        var result = new StringBuilder(expression.Length);
        bool inString = false;
        for (int i = 0; i < expression.Length; i++)
        {
            char c = expression[i];
            if (c == '\'')
            {
                if (inString && i + 1 < expression.Length && expression[i + 1] == '\'')
                {
                    i++;
                    continue;
                }
                inString = !inString;
                result.Append(c);
            }
            else if (!inString)
            {
                result.Append(c);
            }
        }
        return result.ToString();
    }

    [GeneratedRegex(@"(?<![A-Za-z0-9_.'])([A-Za-z][A-Za-z0-9]*)\s*\(")]
    private static partial Regex FunctionCall();
}
