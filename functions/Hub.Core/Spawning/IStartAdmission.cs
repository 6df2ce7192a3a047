using Hub.Core.Store;

namespace Hub.Core.Spawning;

/// <summary>
/// Decides whether a new run may begin at all (usage quotas and budgets): asked once per start request, before the
/// server's record changes. A refusal leaves everything as it was.
/// </summary>
public interface IStartAdmission
{
    /// <summary>A <see cref="StartStatus.Refused"/> result, or <c>null</c> to let the start go on.</summary>
    /// <param name="servers">The user's servers as the start just read them (one query), so that a check need not read them again.</param>
    Task<StartResult?> CheckAsync(UserRecord user, ServerKey server, IReadOnlyList<ServerRecord> servers, CancellationToken cancellationToken);
}

/// <summary>What a refused start is told: what was used, the limit, in which unit, and when the count starts again.</summary>
/// <param name="Kind"><c>quota</c> or <c>budget</c>.</param>
/// <param name="Unit">E.g. <c>server-hours</c>, or a currency for a budget.</param>
public sealed record StartRefusal(string Kind, double Used, double Limit, string Unit, DateTimeOffset ResetsAt);
