namespace Hub.Cost.Model;

/// <summary>
/// What the cost model assumes about a class and the deployment. The defaults follow the template's defaults
/// (infra/azuredeploy.json) and the apps' default settings; each can be changed on the command line
/// (<c>./hub cost --students 300</c>).
/// </summary>
public sealed record CostAssumptions
{
    /// <summary>Students with an account (and a home share).</summary>
    public int Students { get; init; } = 100;

    /// <summary>Data each student keeps in their home share, in GiB (billed as used, every day).</summary>
    public decimal HomeGibPerStudent { get; init; } = 1m;

    /// <summary>vCPUs of each user server (container group).</summary>
    public decimal ServerVcpu { get; init; } = 1m;

    /// <summary>Memory of each user server, in GB.</summary>
    public decimal ServerMemoryGb { get; init; } = 2m;

    /// <summary>Hours a server runs from start to stop (culling included); every start pulls the image.</summary>
    public decimal SessionHours { get; init; } = 2m;

    /// <summary>GB pulled through the NAT gateway when a server starts (the single-user image).</summary>
    public decimal ImagePullGb { get; init; } = 1m;

    /// <summary>GB a student's server downloads from the internet per hour (packages, data sets), through the NAT gateway.</summary>
    public decimal InternetGbPerStudentHour { get; init; } = 0.05m;

    /// <summary>Requests per student-hour that reach the control plane (pages, REST API, progress polls); Jupyter's own traffic does not.</summary>
    public int ControlPlaneRequestsPerStudentHour { get; init; } = 120;

    /// <summary>
    /// Seconds a student's spawn progress stream stays open per start (the queue and the container's start): an
    /// open stream is one billed control-plane execution, cut and reopened every 200 s.
    /// </summary>
    public int ProgressStreamSecondsPerStart { get; init; } = 90;

    /// <summary>Memory of each control-plane instance, in GB (the template's controlPlaneInstanceMemoryMB).</summary>
    public decimal ControlPlaneMemoryGb { get; init; } = 2m;

    /// <summary>Control-plane instances kept warm around the clock (the template's controlPlaneAlwaysReady).</summary>
    public int AlwaysReadyInstances { get; init; }

    /// <summary>Timer runs per day: the reconcile step every minute (1,440) and the culler every 5 minutes (288).</summary>
    public int TimerRunsPerDay { get; init; } = 1440 + 288;

    /// <summary>vCPUs of each gateway replica (the template's gatewayCpuCores).</summary>
    public decimal GatewayVcpu { get; init; } = 0.5m;

    /// <summary>Memory of each gateway replica, in GiB (twice its vCPUs).</summary>
    public decimal GatewayMemoryGib { get; init; } = 1m;

    /// <summary>Gateway replicas that always run (the template's gatewayMinReplicas).</summary>
    public int GatewayReplicas { get; init; } = 1;

    /// <summary>Busy students one gateway replica serves; beyond that Container Apps adds replicas.</summary>
    public int StudentsPerGatewayReplica { get; init; } = 250;

    /// <summary>Whole-table route reads per second and replica (the gateway's Gateway__RouteRefreshInterval of 1 s).</summary>
    public decimal RouteReadsPerSecond { get; init; } = 1m;

    /// <summary>Log Analytics GB per day while nobody works (timers, probes, platform logs).</summary>
    public decimal IdleLogGbPerDay { get; init; } = 0.05m;

    /// <summary>Log MB per student-hour (both apps' request and event logs).</summary>
    public decimal LogMbPerStudentHour { get; init; } = 2m;

    /// <summary>Key Vault secret reads per day (both apps read the hub key when they start and refresh it).</summary>
    public int KeyVaultOperationsPerDay { get; init; } = 100;

    /// <summary>Azure Files write and list transactions per student-hour (saves, autosaves, directory listings).</summary>
    public int FileTransactionsPerStudentHour { get; init; } = 2000;

    /// <summary>Size of the function app's deployment package, in GB.</summary>
    public decimal PackageGb { get; init; } = 0.1m;

    /// <summary>Subtract the monthly free grants of Flex Consumption and Container Apps (once per subscription: off by default).</summary>
    public bool FreeGrants { get; init; }

    /// <summary>Bill the minimum gateway replica at the active rate: when route refreshes keep it above Container Apps' idle thresholds.</summary>
    public bool GatewayNeverIdle { get; init; }

    /// <summary>Every problem with the values, each naming its option.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void AtLeast(string option, decimal value, decimal minimum)
        {
            if (value < minimum)
            {
                problems.Add($"--{option} must be at least {minimum}, not {value}");
            }
        }
        AtLeast("students", Students, 0);
        AtLeast("home-gib-per-student", HomeGibPerStudent, 0);
        AtLeast("server-vcpu", ServerVcpu, 0.1m);
        AtLeast("server-memory-gb", ServerMemoryGb, 0.1m);
        AtLeast("session-hours", SessionHours, 0.1m);
        AtLeast("image-pull-gb", ImagePullGb, 0);
        AtLeast("internet-gb-per-student-hour", InternetGbPerStudentHour, 0);
        AtLeast("control-plane-requests-per-student-hour", ControlPlaneRequestsPerStudentHour, 0);
        AtLeast("progress-stream-seconds-per-start", ProgressStreamSecondsPerStart, 0);
        AtLeast("control-plane-memory-gb", ControlPlaneMemoryGb, 0.5m);
        AtLeast("always-ready-instances", AlwaysReadyInstances, 0);
        AtLeast("timer-runs-per-day", TimerRunsPerDay, 0);
        AtLeast("gateway-vcpu", GatewayVcpu, 0.25m);
        AtLeast("gateway-memory-gib", GatewayMemoryGib, 0.5m);
        AtLeast("gateway-replicas", GatewayReplicas, 1);
        AtLeast("students-per-gateway-replica", StudentsPerGatewayReplica, 1);
        AtLeast("route-reads-per-second", RouteReadsPerSecond, 0);
        AtLeast("idle-log-gb-per-day", IdleLogGbPerDay, 0);
        AtLeast("log-mb-per-student-hour", LogMbPerStudentHour, 0);
        AtLeast("key-vault-operations-per-day", KeyVaultOperationsPerDay, 0);
        AtLeast("file-transactions-per-student-hour", FileTransactionsPerStudentHour, 0);
        AtLeast("package-gb", PackageGb, 0);
        return problems;
    }
}
