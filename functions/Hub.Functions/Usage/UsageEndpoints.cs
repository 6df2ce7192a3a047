using Hub.Core.Store;
using Hub.Core.Usage;
using Hub.Functions.Api;

namespace Hub.Functions.Usage;

/// <summary>
/// Our extension of the REST API (JupyterHub has none): <c>GET /hub/api/usage?period=…[&amp;format=csv]</c>, every
/// user's and group's usage in a period (<c>admin:users</c>), and <c>GET /hub/api/users/{name}/usage</c>, one user's
/// standing against their quota this period (<c>read:users</c> for that user, which everyone has for themselves).
/// </summary>
public static class UsageEndpoints
{
    /// <summary>Maps both routes into the <c>/hub/api</c> group (<see cref="ApiEndpoints.MapHubApi"/>).</summary>
    public static IEndpointRouteBuilder MapUsageEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/usage", ReportAsync);
        endpoints.MapGet("/users/{name}/usage", UserAsync).AddEndpointFilter(TargetFilter.User("read:users"));
        return endpoints;
    }

    private static async Task<IResult> ReportAsync(HttpContext context, Caller caller, IHubStore store, UsageLedger ledger, QuotaPolicy quotas, BudgetOptions budget, TimeProvider time)
    {
        if (!caller.Scopes.HasUnfiltered("admin:users"))
        {
            return ApiProblem.MissingScope("admin:users");
        }
        var now = time.GetUtcNow();
        string asked = context.Request.Query["period"].ToString() is { Length: > 0 } p ? p : Core.Configuration.SettingValue.Kebab(quotas.Options.Period.ToString());
        if (UsagePeriod.Parse(asked, now, quotas.Options.Term, out string? periodProblem) is not { } period)
        {
            return ApiProblem.BadRequest(periodProblem!);
        }
        string format = context.Request.Query["format"].ToString();
        if (format is not ("" or "json" or "csv"))
        {
            return ApiProblem.BadRequest($"format must be json or csv, not '{Core.Security.LogText.Cap(format)}'.");
        }
        var report = await UsageReport.BuildAsync(store, ledger, quotas, budget, period, now, context.RequestAborted);
        if (format == "csv")
        {
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"usage-{period.Name}.csv\"";
            return Results.Text(report.ToCsv(), "text/csv; charset=utf-8");
        }
        return ApiJson.Ok(report.ToJson());
    }

    private static async Task<IResult> UserAsync(HttpContext context, ApiTarget target, Quotas quotas, TimeProvider time)
    {
        var user = target.User;
        var now = time.GetUtcNow();
        var status = await quotas.StatusAsync(user, now, context.RequestAborted);
        var storage = StorageJson(user);
        if (status is null)
        {
            return ApiJson.Ok(new Dictionary<string, object?> { ["name"] = user.Name, ["quota"] = null, ["storage"] = storage });
        }
        var capAt = status.CapAt(now);
        var warnBefore = quotas.Policy.Options.WarnBefore;
        return ApiJson.Ok(new Dictionary<string, object?>
        {
            ["name"] = user.Name,
            ["quota"] = new Dictionary<string, object?>
            {
                ["period"] = status.Period.Name,
                ["unit"] = UsageUnits.Name(status.Unit),
                ["used"] = Math.Round(status.Used, 4),
                ["limit"] = status.Limit,
                ["remaining"] = Math.Round(status.Remaining, 4),
                ["resets"] = ApiJson.Time(status.Period.End),
                ["reached"] = status.Reached,
                ["running"] = status.Running.Count,
                ["stops_at"] = ApiJson.Time(capAt),
                ["warning"] = capAt is { } at && at - now <= warnBefore,
            },
            ["storage"] = storage,
        });
    }

    /// <summary>The home's size as last measured (never measured here: see <see cref="HomeStorageSurvey"/>).</summary>
    private static Dictionary<string, object?>? StorageJson(UserRecord user) => user.Home is not { } home ? null : new()
    {
        ["used_bytes"] = home.UsedBytes,
        ["quota_bytes"] = home.QuotaBytes,
        ["nearly_full"] = home.IsNearlyFull,
        ["complete"] = home.Complete,
        ["measured"] = user.HomeMeasured is { } measured ? ApiJson.Time(measured) : null,
    };
}
