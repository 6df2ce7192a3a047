using Microsoft.Extensions.Logging;

namespace Hub.Azure.Arm;

/// <summary>Log events of the ARM client and the ACI spawner (ids 4500–4999; spawning's own are 4000–4499).</summary>
internal static partial class ArmLog
{
    [LoggerMessage(EventId = 4500, Level = LogLevel.Information, Message = "Created the Azure Files share {Share} ({QuotaGiB} GiB) for {User}")]
    public static partial void ShareCreated(ILogger logger, string share, int quotaGiB, string user);

    [LoggerMessage(EventId = 4501, Level = LogLevel.Information, Message = "Container group {Group} accepted for {Server} ({Status}); image {Image}, {Cpu} CPU, {MemoryInGb} GB")]
    public static partial void GroupCreated(ILogger logger, string group, string server, int status, string image, double cpu, double memoryInGb);

    [LoggerMessage(EventId = 4502, Level = LogLevel.Information, Message = "Container group {Group} deleted ({Status})")]
    public static partial void GroupDeleted(ILogger logger, string group, int status);

    [LoggerMessage(EventId = 4503, Level = LogLevel.Warning, Message = "ARM throttled a {Kind} request ({Operation}); pausing {Kind} requests for {RetryAfter}")]
    public static partial void Throttled(ILogger logger, Azure.Arm.ArmOperationKind kind, string operation, TimeSpan retryAfter);

    [LoggerMessage(EventId = 4504, Level = LogLevel.Warning, Message = "Azure Container Instances quota reached in {Location} for {Group}: {Error}. Starts wait and retry every {RetryIn}; raise the subscription's ACI quota (container groups, cores, creates per hour) for this region.")]
    public static partial void QuotaReached(ILogger logger, string location, string group, string error, TimeSpan retryIn);

    [LoggerMessage(EventId = 4505, Level = LogLevel.Warning, Message = "ARM refused {Operation} for {Group}: {Error}")]
    public static partial void Refused(ILogger logger, string operation, string group, string error);

    [LoggerMessage(EventId = 4506, Level = LogLevel.Warning, Message = "Container group {Group} carries this hub's mark but its owner cannot be read from its tags; it is left alone")]
    public static partial void UnknownOwner(ILogger logger, string group);
}
