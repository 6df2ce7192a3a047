using System.Text.RegularExpressions;
using Hub.Core.Configuration;
using Hub.Core.Hosting;
using Hub.Core.Spawning;

namespace Hub.Azure.Arm;

/// <summary>
/// The Azure Container Instances spawner: where container groups go, what they run, and the per-user Azure Files
/// shares they mount as home. Read only when <c>Spawner__Kind</c> is <c>container-instances</c>; then the subscription,
/// resource group, location, image and storage account are required.
/// </summary>
public sealed partial class ContainerInstancesOptions : ISettingsSection
{
    public static string Section => "ContainerInstances";

    /// <summary>Azure Resource Manager. A loopback http URL (a local test double) is accepted in local mode only.</summary>
    public Uri ManagementEndpoint { get; set; } = new("https://management.azure.com");

    /// <summary>The subscription (a GUID) that holds the container groups and the storage account.</summary>
    public string SubscriptionId { get; set; } = "";

    /// <summary>The resource group of the container groups and the storage account.</summary>
    public string ResourceGroup { get; set; } = "";

    /// <summary>The Azure region of the container groups, e.g. <c>westeurope</c>.</summary>
    public string Location { get; set; } = "";

    /// <summary>The ACI api-version; the body the hub sends is the same from 2023-05-01 to 2026-07-01.</summary>
    public string ApiVersion { get; set; } = "2025-09-01";

    /// <summary>The Microsoft.Storage api-version used for file shares.</summary>
    public string StorageApiVersion { get; set; } = "2025-01-01";

    /// <summary>Client id of the user-assigned managed identity that calls ARM; empty: the system-assigned one (or your Azure CLI login).</summary>
    public string ManagedIdentityClientId { get; set; } = "";

    /// <summary>The Jupyter image (a profile may name another), e.g. <c>{registry}/jupyter/base-notebook:{tag}</c>.</summary>
    public string Image { get; set; } = "";

    /// <summary>
    /// The container's command, split at spaces, with placeholders <c>{port}</c>, <c>{base_url}</c>, <c>{home}</c>,
    /// <c>{user}</c>, <c>{server}</c>. The token is passed as the secure environment value <c>JUPYTER_TOKEN</c>.
    /// </summary>
    public string Command { get; set; } = "jupyter lab --no-browser --ip=0.0.0.0 --port={port} --ServerApp.base_url={base_url} --ServerApp.root_dir={home}";

    /// <summary>The port Jupyter listens on inside the container group.</summary>
    public int Port { get; set; } = 8888;

    /// <summary>CPU cores per server (a profile may ask for more).</summary>
    public double Cpu { get; set; } = 1.0;

    /// <summary>Memory in GB per server (a profile may ask for more).</summary>
    public double MemoryInGb { get; set; } = 2.0;

    /// <summary>Extra environment variables for every server, as <c>NAME=value</c> items separated by commas.</summary>
    public IReadOnlyList<string> Environment { get; set; } = [];

    /// <summary>
    /// The resource id of a subnet delegated to <c>Microsoft.ContainerInstance/containerGroups</c>: servers get private
    /// IPs there (the gateway must reach that network). Empty: public IPs with a DNS label (small setups only).
    /// </summary>
    public string SubnetId { get; set; } = "";

    /// <summary>The storage account (in the same resource group) holding one Azure Files share per user.</summary>
    public string StorageAccount { get; set; } = "";

    /// <summary>The storage account's key, with which ACI mounts the shares.</summary>
    [SecretSetting]
    public string StorageAccountKey { get; set; } = "";

    /// <summary>The size limit of each user's share, in GiB.</summary>
    public int ShareQuotaGiB { get; set; } = 10;

    /// <summary>Where the user's share is mounted in the container: their home.</summary>
    public string HomeMountPath { get; set; } = "/home/jovyan";

    /// <summary>A share of the same account with a course's files, copied into every new home on its first start; empty: none.</summary>
    public string TemplateShare { get; set; } = "";

    /// <summary>
    /// Starts the name of every container group and share (<c>{prefix}-{user}</c>) and marks them as this hub's (tag
    /// <c>serverless-hub</c>); only groups with this mark are ever removed as orphans. A letter, then up to 19 letters or digits.
    /// </summary>
    public string NamePrefix { get; set; } = "hub";

    /// <summary>How often the resource group is listed while servers are being created and not yet expected to be done (one read for all of them).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a start waits before trying again when Azure reports the container-instance quota used up.</summary>
    public TimeSpan QuotaRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The longest one ARM call for one server (its start, the polls while it is created, its stop) may take, tries and
    /// retries included: a student may be waiting on it. When ARM has not answered by then, the start becomes a waiting
    /// state with a message and is tried again (the same idempotent PUT), instead of a worker waiting on a hung ARM.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The same limit for background work no one waits on: the reconcile sweep's listing of every container group
    /// (orphans, servers that died). A sweep that runs out of time removes nothing and is run again at the next interval.
    /// </summary>
    public TimeSpan BackgroundCallTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How many control-plane instances may call Azure Resource Manager at the same time. ARM's request budgets are
    /// per subscription and principal, and every instance runs as the same identity, so each instance paces itself to
    /// this share of them (writes: a burst of 200 and 10 per second, divided by this number). Flex Consumption runs
    /// timers and HTTP requests on separate instances: set it to the number of instances expected to start servers at once.
    /// </summary>
    public int ArmInstances { get; set; } = 1;

    /// <summary>The extra environment, parsed.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables =>
        Environment.Select(e => e.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1]);

    public IReadOnlyList<string> CommandArguments => Command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public void Validate(SettingsProblems problems)
    {
        if (ManagementEndpoint.Scheme != Uri.UriSchemeHttps && !(ManagementEndpoint.Scheme == Uri.UriSchemeHttp && ManagementEndpoint.IsLoopback))
        {
            problems.Add("ContainerInstances__ManagementEndpoint", "must be an https URL (or a loopback http URL for a local test double)");
        }
        if (!ApiVersionPattern().IsMatch(ApiVersion))
        {
            problems.Add("ContainerInstances__ApiVersion", $"must look like 2025-09-01, not '{Shorten(ApiVersion)}'");
        }
        if (!ApiVersionPattern().IsMatch(StorageApiVersion))
        {
            problems.Add("ContainerInstances__StorageApiVersion", $"must look like 2025-01-01, not '{Shorten(StorageApiVersion)}'");
        }
        if (SubscriptionId.Length > 0 && !Guid.TryParse(SubscriptionId, out _))
        {
            problems.Add("ContainerInstances__SubscriptionId", "must be a subscription id (a GUID)");
        }
        if (ResourceGroup.Length > 0 && !ResourceGroupPattern().IsMatch(ResourceGroup))
        {
            problems.Add("ContainerInstances__ResourceGroup", "must be a resource group name (up to 90 letters, digits, '.', '_', '-', '(' or ')')");
        }
        if (Location.Length > 0 && !LocationPattern().IsMatch(Location))
        {
            problems.Add("ContainerInstances__Location", $"must be a region name such as westeurope, not '{Shorten(Location)}'");
        }
        if (CommandArguments.Count == 0 || !Command.Contains("{port}", StringComparison.Ordinal) || !Command.Contains("{base_url}", StringComparison.Ordinal))
        {
            problems.Add("ContainerInstances__Command", "must run Jupyter and use {port} and {base_url}");
        }
        if (Port is < 1 or > 65535)
        {
            problems.Add("ContainerInstances__Port", $"must be a port number from 1 to 65535, not {Port}");
        }
        if (Cpu <= 0 || Cpu > SpawnProfile.MaxCpu)
        {
            problems.Add("ContainerInstances__Cpu", $"must be above 0 and at most {SpawnProfile.MaxCpu}");
        }
        if (MemoryInGb <= 0 || MemoryInGb > SpawnProfile.MaxMemoryInGb)
        {
            problems.Add("ContainerInstances__MemoryInGb", $"must be above 0 and at most {SpawnProfile.MaxMemoryInGb}");
        }
        foreach (var item in Environment)
        {
            var parts = item.Split('=', 2);
            if (parts.Length != 2 || !SpawnProfile.IsValidVariableName(parts[0].Trim()) || SpawnProfile.IsReservedVariable(parts[0].Trim()))
            {
                problems.Add("ContainerInstances__Environment", $"has '{Shorten(parts[0])}', which is not NAME=value with a name the hub leaves to configuration (not JUPYTER_TOKEN or JUPYTERHUB_*)");
            }
        }
        if (SubnetId.Length > 0 && !SubnetPattern().IsMatch(SubnetId))
        {
            problems.Add("ContainerInstances__SubnetId", "must be a subnet resource id (/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/…/subnets/…)");
        }
        if (StorageAccount.Length > 0 && !StorageAccountPattern().IsMatch(StorageAccount))
        {
            problems.Add("ContainerInstances__StorageAccount", "must be a storage account name (3 to 24 lower-case letters or digits)");
        }
        if (ShareQuotaGiB is < 1 or > 102400)
        {
            problems.Add("ContainerInstances__ShareQuotaGiB", $"must be from 1 to 102400, not {ShareQuotaGiB}");
        }
        if (!HomeMountPath.StartsWith('/') || HomeMountPath.Contains(':'))
        {
            problems.Add("ContainerInstances__HomeMountPath", "must be an absolute path without ':'");
        }
        if (TemplateShare.Length > 0 && !ResourceNames.IsValid(TemplateShare))
        {
            problems.Add("ContainerInstances__TemplateShare", "must be a share name (lower-case letters, digits and single hyphens, up to 63 characters)");
        }
        if (!ResourceNames.IsValidPrefix(NamePrefix))
        {
            problems.Add("ContainerInstances__NamePrefix", $"must be a lower-case letter followed by up to 19 lower-case letters or digits, not '{Shorten(NamePrefix)}'");
        }
        if (PollInterval < TimeSpan.FromMilliseconds(200) || PollInterval > TimeSpan.FromMinutes(5))
        {
            problems.Add("ContainerInstances__PollInterval", $"must be from 200 ms to 5 minutes, not {PollInterval}");
        }
        if (QuotaRetryInterval < TimeSpan.FromSeconds(1) || QuotaRetryInterval > TimeSpan.FromHours(1))
        {
            problems.Add("ContainerInstances__QuotaRetryInterval", $"must be from 1 second to 1 hour, not {QuotaRetryInterval}");
        }
        if (CallTimeout < TimeSpan.FromSeconds(1) || CallTimeout > TimeSpan.FromMinutes(5))
        {
            problems.Add("ContainerInstances__CallTimeout", $"must be from 1 second to 5 minutes, not {CallTimeout}");
        }
        if (BackgroundCallTimeout < TimeSpan.FromSeconds(1) || BackgroundCallTimeout > TimeSpan.FromMinutes(30))
        {
            problems.Add("ContainerInstances__BackgroundCallTimeout", $"must be from 1 second to 30 minutes, not {BackgroundCallTimeout}");
        }
        if (ArmInstances is < 1 or > 100)
        {
            problems.Add("ContainerInstances__ArmInstances", $"must be from 1 to 100, not {ArmInstances}");
        }
    }

    /// <summary>The settings that must be set when this spawner is chosen, and those that only local mode allows.</summary>
    public IEnumerable<(string Key, string Problem)> ProblemsWhenUsed(HubMode mode)
    {
        foreach (var (key, value) in new[]
        {
            ("ContainerInstances__SubscriptionId", SubscriptionId),
            ("ContainerInstances__ResourceGroup", ResourceGroup),
            ("ContainerInstances__Location", Location),
            ("ContainerInstances__Image", Image),
            ("ContainerInstances__StorageAccount", StorageAccount),
            ("ContainerInstances__StorageAccountKey", StorageAccountKey),
        })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return (key, "must be set when Spawner__Kind is container-instances");
            }
        }
        if (mode != HubMode.Local && ManagementEndpoint.Scheme != Uri.UriSchemeHttps)
        {
            yield return ("ContainerInstances__ManagementEndpoint", "must be an https URL in Azure mode");
        }
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(-preview)?$")]
    private static partial Regex ApiVersionPattern();

    [GeneratedRegex(@"^[-\w._()]{1,90}$")]
    private static partial Regex ResourceGroupPattern();

    [GeneratedRegex("^[a-z0-9]{2,40}$")]
    private static partial Regex LocationPattern();

    [GeneratedRegex("^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft.Network/virtualNetworks/[^/]+/subnets/[^/]+$", RegexOptions.IgnoreCase)]
    private static partial Regex SubnetPattern();

    [GeneratedRegex("^[a-z0-9]{3,24}$")]
    private static partial Regex StorageAccountPattern();
}
