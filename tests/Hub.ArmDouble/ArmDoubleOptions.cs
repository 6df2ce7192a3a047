namespace Hub.ArmDouble;

/// <summary>How the ARM double behaves: latencies, throttling, quotas and injected failures.</summary>
public sealed record ArmDoubleOptions
{
    /// <summary>From an accepted create to provisioning Succeeded (or Failed) and the instance Running.</summary>
    public TimeSpan ProvisioningLatency { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>From DELETE to gone; zero answers 200 at once, more answers 202 and shows Deleting meanwhile.</summary>
    public TimeSpan DeleteLatency { get; init; } = TimeSpan.Zero;

    /// <summary>Retry-After on the 201 of a create (ARM's hint for the first poll).</summary>
    public TimeSpan CreateRetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Token buckets per kind of request; <c>null</c>: not throttled.</summary>
    public BucketLimits? Reads { get; init; }

    public BucketLimits? Writes { get; init; }

    public BucketLimits? Deletes { get; init; }

    /// <summary>Share of provisioning attempts that end Failed (ACI's transient capacity and image errors).</summary>
    public double ProvisioningFailureRate { get; init; }

    /// <summary>Share of requests answered 500 InternalServerError before anything happens.</summary>
    public double TransientErrorRate { get; init; }

    /// <summary>The most container groups at once (ACI's per-region quota); <c>null</c>: no quota.</summary>
    public int? ContainerGroupQuota { get; init; }

    /// <summary>Container groups per page when listing (ARM pages with <c>nextLink</c>).</summary>
    public int ListPageSize { get; init; } = 100;

    /// <summary>How long a create's answer is held back after the group was accepted (a response lost with its caller).</summary>
    public TimeSpan CreateResponseDelay { get; init; } = TimeSpan.Zero;

    /// <summary>An outage of container-group PUT and GET (bodies are still checked against the spec first).</summary>
    public ArmFault GroupFault { get; init; } = ArmFault.None;

    /// <summary>An outage of the resource group's container-group list only (what polls and the reconcile sweep read).</summary>
    public ArmFault ListFault { get; init; } = ArmFault.None;

    /// <summary>Seed of the failure injection, so that a run can be repeated.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Whether each running group answers HTTP on its own loopback address (127.x.y.z) like a Jupyter server.</summary>
    public bool ServeHttp { get; init; } = true;
}
