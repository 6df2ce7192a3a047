using Hub.Core.Spawning;
using Hub.Functions.Api;

namespace Hub.Functions.Usage;

/// <summary>
/// The 403 of a start refused for usage: problem+json as every API error (with JupyterHub's <c>message</c>), plus
/// what was used, the limit, its unit and when the count starts again, so a client can say so.
/// </summary>
public static class UsageProblem
{
    public static IResult Refused(StartResult result)
    {
        var refusal = result.Refusal;
        var body = new Dictionary<string, object?>
        {
            ["type"] = "about:blank",
            ["title"] = "Forbidden",
            ["status"] = StatusCodes.Status403Forbidden,
            ["detail"] = result.Message,
            ["message"] = result.Message,
            ["reason"] = refusal?.Kind,
            ["used"] = refusal is null ? null : Math.Round(refusal.Used, 4),
            ["limit"] = refusal?.Limit,
            ["unit"] = refusal?.Unit,
            ["resets"] = ApiJson.Time(refusal?.ResetsAt),
        };
        return Results.Json(body, ApiJson.Options, ApiProblem.ContentType, StatusCodes.Status403Forbidden);
    }
}
