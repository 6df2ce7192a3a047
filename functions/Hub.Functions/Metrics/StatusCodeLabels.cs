using System.Globalization;

namespace Hub.Functions.Metrics;

/// <summary>Status codes as label values (<c>code="200"</c>), formatted once rather than on every request.</summary>
internal static class StatusCodeLabels
{
    private static readonly string[] Labels = Enumerable.Range(0, 600).Select(code => code.ToString(CultureInfo.InvariantCulture)).ToArray();

    public static string Of(int code) => code is >= 0 and < 600 ? Labels[code] : code.ToString(CultureInfo.InvariantCulture);
}
