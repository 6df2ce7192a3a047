using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Hub.ArmDouble;

/// <summary>
/// A local Azure Resource Manager for the operations the ACI spawner uses, on Kestrel at 127.0.0.1 and a free port:
/// container groups (PUT with long-running-operation semantics, GET, DELETE, list by resource group with paging) and
/// file shares (PUT, and GET with <c>$expand=stats</c>). It checks bearer tokens, api-versions and names, validates every request body against the
/// published specs (see <see cref="SpecValidator"/>), throttles with token buckets (429 + Retry-After), enforces a
/// container-group quota, injects failures, and makes each running group answer HTTP on its own loopback address.
/// Everything it refused or did not expect is kept in <see cref="Problems"/>; tests assert it stays empty.
/// </summary>
public sealed partial class ArmDouble : IAsyncDisposable
{
    public const string SubscriptionId = "5f0c9b1e-0000-4000-8000-00000000cafe";
    public const string ResourceGroup = "hub-test";
    public const string Location = "westeurope";
    public const string StorageAccount = "hubhomes";

    /// <summary>ACI api-versions the double accepts (azure.md §2.1).</summary>
    public static readonly IReadOnlySet<string> ContainerInstanceApiVersions = new HashSet<string> { "2023-05-01", "2025-09-01", "2026-05-01", "2026-07-01" };

    /// <summary>Microsoft.Storage api-versions the double accepts for shares.</summary>
    public static readonly IReadOnlySet<string> StorageApiVersions = new HashSet<string> { "2025-01-01", "2025-06-01", "2025-08-01", "2026-06-01" };

    private const string GroupsPath = "/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.ContainerInstance/containerGroups";
    private const string SharePath = "/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.Storage/storageAccounts/{account}/fileServices/default/shares/{share}";

    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, DoubleGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _attemptsByName = new(StringComparer.Ordinal);
    private readonly HashSet<string> _forcedFailures = new(StringComparer.Ordinal);
    private readonly HashSet<string> _shares = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _shareProperties = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _shareUsage = new(StringComparer.Ordinal);
    private readonly List<GroupAttempt> _attempts = [];
    private readonly List<string> _problems = [];
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = TimeProvider.System;
    private ArmDoubleOptions _options;
    private CancellationTokenSource _optionsChanged = new();
    private TokenBucket? _reads, _writes, _deletes;
    private int _addresses;
    private int _requestNumber;

    private ArmDouble(WebApplication app, ArmDoubleOptions options)
    {
        _app = app;
        _options = options;
        Configure(options);
    }

    /// <summary>ARM's base address for clients, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public ArmDoubleOptions Options => _options;

    /// <summary>Refused or unexpected requests (invalid bodies, unknown paths, bad api-versions, missing tokens).</summary>
    public IReadOnlyList<string> Problems
    {
        get
        {
            lock (_gate)
            {
                return [.. _problems];
            }
        }
    }

    /// <summary>
    /// Counters: <c>requests</c> (every request received), requests that reached an operation (group-put, group-get,
    /// group-list, group-delete, share-put, share-get, operation-get), and outcomes (group-create, group-update, share-create,
    /// share-update, throttled, transient, faulted, quota, invalid).
    /// </summary>
    public IReadOnlyDictionary<string, int> Counters
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_counters);
            }
        }
    }

    public int Count(string counter) => Counters.GetValueOrDefault(counter);

    /// <summary>Every provisioning attempt accepted, in order.</summary>
    public IReadOnlyList<GroupAttempt> Attempts
    {
        get
        {
            lock (_gate)
            {
                return [.. _attempts];
            }
        }
    }

    /// <summary>Names of the container groups that exist now (in any state).</summary>
    public IReadOnlyList<string> GroupNames
    {
        get
        {
            lock (_gate)
            {
                return [.. _groups.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Names of the file shares created.</summary>
    public IReadOnlyList<string> Shares
    {
        get
        {
            lock (_gate)
            {
                return [.. _shares.Order(StringComparer.Ordinal)];
            }
        }
    }

    /// <summary>Sets what a share holds, as its <c>shareUsageBytes</c> statistic reports (0 until set).</summary>
    public void SetShareUsage(string share, long bytes)
    {
        lock (_gate)
        {
            _shareUsage[share] = bytes;
        }
    }

    public static async Task<ArmDouble> StartAsync(ArmDoubleOptions? options = null)
    {
        // The published specs are read before the double answers: without them the test fails here, with the message
        // that says how to get them, instead of later with a 500 inside a request that the code under test retries.
        _ = SpecValidator.ContainerGroup.Value;
        _ = SpecValidator.FileShare.Value;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var arm = new ArmDouble(app, options ?? new ArmDoubleOptions());
        arm.Map(app);
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        arm.Endpoint = new Uri(address);
        return arm;
    }

    /// <summary>Changes latencies, throttling and failures for what comes next.</summary>
    public void Configure(ArmDoubleOptions options)
    {
        lock (_gate)
        {
            _options = options;
            // A hanging request is released when the fault changes (see AnswerFaultAsync).
            _optionsChanged.Cancel();
            _optionsChanged = new CancellationTokenSource();
            _reads = options.Reads is { } r ? new TokenBucket(r.Capacity, r.PerSecond, _time) : null;
            _writes = options.Writes is { } w ? new TokenBucket(w.Capacity, w.PerSecond, _time) : null;
            _deletes = options.Deletes is { } d ? new TokenBucket(d.Capacity, d.PerSecond, _time) : null;
        }
    }

    /// <summary>The next provisioning attempt of <paramref name="group"/> ends Failed.</summary>
    public void FailNextProvisioning(string group)
    {
        lock (_gate)
        {
            _forcedFailures.Add(group);
        }
    }

    /// <summary>The body a group was last PUT with, secrets included (for tests that check what the spawner sends).</summary>
    public JsonObject? DefinitionOf(string group)
    {
        lock (_gate)
        {
            return _groups.TryGetValue(group, out var found) ? (JsonObject)found.Definition.DeepClone() : null;
        }
    }

    /// <summary>Where a running group answers HTTP.</summary>
    public IPEndPoint? EndpointOf(string group)
    {
        lock (_gate)
        {
            return _groups.TryGetValue(group, out var found) ? new IPEndPoint(found.Address, found.Port) : null;
        }
    }

    /// <summary>The resource path of a group in the double's subscription and resource group.</summary>
    public static string GroupResourcePath(string group) =>
        $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroup}/providers/Microsoft.ContainerInstance/containerGroups/{group}";

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (await RefuseAsync(context) is { } refusal)
            {
                await refusal.ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        app.MapPut(GroupsPath + "/{name}", PutGroupAsync);
        app.MapGet(GroupsPath + "/{name}", GetGroupAsync);
        app.MapDelete(GroupsPath + "/{name}", DeleteGroup);
        app.MapGet(GroupsPath, ListGroups);
        app.MapGet("/subscriptions/{subscription}/providers/Microsoft.ContainerInstance/locations/{location}/operations/{name}", GetOperation);
        app.MapPut(SharePath, PutShareAsync);
        app.MapGet(SharePath, GetShare);
        app.MapFallback((HttpContext context) => Problem($"unexpected request {context.Request.Method} {context.Request.Path}", 404, "NotFound", "The double does not implement this request."));
    }

    /// <summary>What every request goes through: token, api-version, throttling, injected transient errors.</summary>
    private Task<IResult?> RefuseAsync(HttpContext context)
    {
        Increment("requests");
        var request = context.Request;
        string method = request.Method;
        string path = request.Path.Value ?? "";
        if (!request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.Ordinal) || request.Headers.Authorization.ToString().Length <= 7)
        {
            return Task.FromResult<IResult?>(Problem($"{method} {path} without a bearer token", 401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."));
        }
        string apiVersion = request.Query["api-version"].ToString();
        var allowed = path.Contains("/Microsoft.Storage/", StringComparison.OrdinalIgnoreCase) ? StorageApiVersions : ContainerInstanceApiVersions;
        if (!allowed.Contains(apiVersion))
        {
            return Task.FromResult<IResult?>(Problem($"{method} {path} with api-version '{apiVersion}'", 400, "InvalidApiVersionParameter",
                $"The api-version '{apiVersion}' is invalid. The supported versions are '{string.Join(",", allowed)}'."));
        }

        TokenBucket? bucket;
        string remainingHeader;
        lock (_gate)
        {
            (bucket, remainingHeader) = method switch
            {
                "GET" or "HEAD" => (_reads, "x-ms-ratelimit-remaining-subscription-reads"),
                "DELETE" => (_deletes, "x-ms-ratelimit-remaining-subscription-deletes"),
                _ => (_writes, "x-ms-ratelimit-remaining-subscription-writes"),
            };
        }
        if (bucket is not null)
        {
            if (!bucket.TryTake(out var retryAfter))
            {
                Increment("throttled");
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                context.Response.Headers[remainingHeader] = "0";
                return Task.FromResult<IResult?>(Results.Json(Error("TooManyRequests", "The request is being throttled as the limit has been reached for operation type."), statusCode: 429));
            }
            context.Response.Headers[remainingHeader] = bucket.Remaining.ToString(CultureInfo.InvariantCulture);
        }
        if (_options.TransientErrorRate > 0 && Chance("transient/" + Interlocked.Increment(ref _requestNumber)) < _options.TransientErrorRate)
        {
            Increment("transient");
            return Task.FromResult<IResult?>(Results.Json(Error("InternalServerError", "An internal error occurred (injected)."), statusCode: 500));
        }
        return Task.FromResult<IResult?>(null);
    }

    private async Task<IResult> PutGroupAsync(HttpContext context, string subscription, string resourceGroup, string name)
    {
        Increment("group-put");
        if (CheckScope(subscription, resourceGroup) is { } wrongScope)
        {
            return wrongScope;
        }
        if (!GroupNamePattern().IsMatch(name))
        {
            return Problem($"PUT of container group '{name}': invalid name", 400, "InvalidContainerGroupName",
                "The container group name must be 1 to 63 lower-case letters, digits or single hyphens, starting and ending with a letter or digit.");
        }
        string json = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        if (ValidateBody(json, SpecValidator.ContainerGroup.Value, $"PUT container group {name}") is { } invalid)
        {
            return invalid;
        }
        if (await AnswerFaultAsync(context) is { } fault)
        {
            return fault;
        }
        var definition = JsonNode.Parse(json)!.AsObject();
        var now = _time.GetUtcNow();
        DoubleGroup group;
        bool created;
        lock (_gate)
        {
            if (_groups.TryGetValue(name, out var existing))
            {
                if (existing.DeletingSince is not null)
                {
                    return Results.Json(Error("ContainerGroupTransitioning", $"The container group '{name}' is still being deleted."), statusCode: 409);
                }
                existing.Definition = definition;
                group = existing;
                created = false;
            }
            else
            {
                if (_options.ContainerGroupQuota is int quota && _groups.Count >= quota)
                {
                    Increment("quota");
                    return Results.Json(Error("ContainerGroupQuotaReached",
                        $"Resource type 'Microsoft.ContainerInstance/containerGroups' container group quota 'StandardCores' exceeded in region '{Location}'. Limit: '{quota}', Usage: '{_groups.Count}' Requested: '1'."), statusCode: 409);
                }
                int attempt = _attemptsByName[name] = _attemptsByName.GetValueOrDefault(name) + 1;
                bool fail = _forcedFailures.Remove(name) || Chance($"provision/{name}/{attempt}") < _options.ProvisioningFailureRate;
                group = new DoubleGroup(name, definition, now, _options.ProvisioningLatency, fail, attempt, NextAddress());
                _groups[name] = group;
                _attempts.Add(new GroupAttempt(name, attempt, now, _options.ProvisioningLatency, fail));
                created = true;
            }
            Increment(created ? "group-create" : "group-update");
        }
        if (created)
        {
            _ = BecomeReadyAsync(group);
            if (_options.CreateResponseDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.CreateResponseDelay, context.RequestAborted);
            }
        }
        var body = group.Render(GroupResourcePath(name), now, withInstanceView: false);
        if (!created)
        {
            return Results.Json(body, statusCode: 200);
        }
        context.Response.Headers.Location = OperationUrl(name);
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(_options.CreateRetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Results.Json(body, statusCode: 201);
    }

    private async Task<IResult> GetGroupAsync(HttpContext context, string subscription, string resourceGroup, string name)
    {
        Increment("group-get");
        if (CheckScope(subscription, resourceGroup) is { } wrongScope)
        {
            return wrongScope;
        }
        if (await AnswerFaultAsync(context) is { } fault)
        {
            return fault;
        }
        lock (_gate)
        {
            return _groups.TryGetValue(name, out var group)
                ? Results.Json(group.Render(GroupResourcePath(name), _time.GetUtcNow(), withInstanceView: true))
                : Results.Json(Error("ResourceNotFound", $"The Resource 'Microsoft.ContainerInstance/containerGroups/{name}' under resource group '{resourceGroup}' was not found."), statusCode: 404);
        }
    }

    /// <summary>
    /// The answer of a switched-on <see cref="ArmDoubleOptions.GroupFault"/> (or, for the list,
    /// <see cref="ArmDoubleOptions.ListFault"/>), or <c>null</c> to go on. A hang lasts until
    /// the caller gives up (then nothing happens) or the fault changes (then the request goes on as if slow).
    /// </summary>
    private async Task<IResult?> AnswerFaultAsync(HttpContext context, bool list = false)
    {
        ArmFault fault;
        CancellationToken changed;
        lock (_gate)
        {
            fault = list ? _options.ListFault : _options.GroupFault;
            changed = _optionsChanged.Token;
        }
        switch (fault)
        {
            case ArmFault.InternalError:
                Increment("faulted");
                return Results.Json(Error("InternalServerError", "An internal error occurred (injected outage)."), statusCode: 500);
            case ArmFault.ServiceUnavailable:
                Increment("faulted");
                context.Response.Headers.RetryAfter = "1";
                return Results.Json(Error("ServiceUnavailable", "The service is temporarily unavailable (injected outage)."), statusCode: 503);
            case ArmFault.Hang:
                Increment("faulted");
                using (var either = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, changed))
                {
                    try
                    {
                        await Task.Delay(Timeout.Infinite, either.Token);
                    }
                    catch (OperationCanceledException) when (changed.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
                    {
                        return null;
                    }
                }
                return null;
            default:
                return null;
        }
    }

    private async Task<IResult> DeleteGroup(HttpContext context, string subscription, string resourceGroup, string name)
    {
        Increment("group-delete");
        if (CheckScope(subscription, resourceGroup) is { } wrongScope)
        {
            return wrongScope;
        }
        DoubleGroup? group;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_groups.TryGetValue(name, out group))
            {
                return Results.NoContent();
            }
            if (_options.DeleteLatency > TimeSpan.Zero)
            {
                group.DeletingSince ??= now;
                _ = RemoveLaterAsync(group, _options.DeleteLatency);
                context.Response.Headers.Location = OperationUrl(name);
                context.Response.Headers.RetryAfter = "1";
                return Results.StatusCode(202);
            }
            _groups.Remove(name);
        }
        if (group.Http is { } http)
        {
            await http.DisposeAsync();
        }
        return Results.Json(group.Render(GroupResourcePath(name), now, withInstanceView: false));
    }

    private async Task<IResult> ListGroups(HttpContext context, string subscription, string resourceGroup)
    {
        Increment("group-list");
        if (CheckScope(subscription, resourceGroup) is { } wrongScope)
        {
            return wrongScope;
        }
        if (await AnswerFaultAsync(context, list: true) is { } fault)
        {
            return fault;
        }
        int skip = int.TryParse(context.Request.Query["$skipToken"], NumberStyles.None, CultureInfo.InvariantCulture, out int token) ? token : 0;
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var all = _groups.Values.OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
            var page = all.Skip(skip).Take(_options.ListPageSize)
                .Select(g => (JsonNode)g.Render(GroupResourcePath(g.Name), now, withInstanceView: false)).ToArray();
            var result = new JsonObject { ["value"] = new JsonArray(page) };
            if (skip + page.Length < all.Count)
            {
                result["nextLink"] = new Uri(Endpoint, $"{context.Request.Path}?api-version={context.Request.Query["api-version"]}&$skipToken={skip + page.Length}").AbsoluteUri;
            }
            return Results.Json(result);
        }
    }

    private IResult GetOperation(string subscription, string location, string name)
    {
        Increment("operation-get");
        lock (_gate)
        {
            if (!_groups.TryGetValue(name, out var group))
            {
                return Results.NoContent();
            }
            var now = _time.GetUtcNow();
            return group.DeletingSince is null && now >= group.Finished
                ? Results.Json(group.Render(GroupResourcePath(name), now, withInstanceView: false))
                : Results.StatusCode(202);
        }
    }

    private async Task<IResult> PutShareAsync(HttpContext context, string subscription, string resourceGroup, string account, string share)
    {
        Increment("share-put");
        if (CheckScope(subscription, resourceGroup) is { } wrongScope)
        {
            return wrongScope;
        }
        if (account != StorageAccount)
        {
            return Problem($"PUT share in unknown account '{account}'", 404, "ResourceNotFound", $"The storage account '{account}' was not found.");
        }
        if (!ShareNamePattern().IsMatch(share) || share.Length < 3)
        {
            return Problem($"PUT share '{share}': invalid name", 400, "InvalidResourceName", "Share names are 3 to 63 lower-case letters, digits and single hyphens.");
        }
        string json = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync(context.RequestAborted);
        if (ValidateBody(json, SpecValidator.FileShare.Value, $"PUT share {share}") is { } invalid)
        {
            return invalid;
        }
        var body = JsonNode.Parse(json)!.AsObject();
        bool created;
        lock (_gate)
        {
            created = _shares.Add(share);
            _shareProperties[share] = body["properties"]?.DeepClone() as JsonObject ?? [];
            Increment(created ? "share-create" : "share-update");
        }
        body["id"] = $"/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.Storage/storageAccounts/{account}/fileServices/default/shares/{share}";
        body["name"] = share;
        body["type"] = "Microsoft.Storage/storageAccounts/fileServices/shares";
        return Results.Json(body, statusCode: created ? 201 : 200);
    }

    /// <summary>FileShares_Get: the share's properties; with <c>$expand=stats</c> (the only value the spec allows for it) also <c>shareUsageBytes</c>.</summary>
    private IResult GetShare(HttpContext context, string subscription, string resourceGroup, string account, string share)
    {
        Increment("share-get");
        if (CheckScope(subscription, resourceGroup) is { } wrongScope)
        {
            return wrongScope;
        }
        string expand = context.Request.Query["$expand"].ToString();
        if (expand is not ("" or "stats"))
        {
            return Problem($"GET share '{share}' with $expand '{expand}'", 400, "InvalidQueryParameterValue", $"Value for one of the query parameters specified in the request URI is invalid: $expand={expand}.");
        }
        JsonObject properties;
        lock (_gate)
        {
            if (account != StorageAccount || !_shareProperties.TryGetValue(share, out var stored))
            {
                // Not a problem: a user who never started has no share, and the caller must take the 404.
                return Results.Json(Error("ShareNotFound", "The specified share does not exist."), statusCode: 404);
            }
            properties = (JsonObject)stored.DeepClone();
            if (expand == "stats")
            {
                properties["shareUsageBytes"] = _shareUsage.GetValueOrDefault(share);
            }
        }
        return Results.Json(new JsonObject
        {
            ["id"] = $"/subscriptions/{subscription}/resourceGroups/{resourceGroup}/providers/Microsoft.Storage/storageAccounts/{account}/fileServices/default/shares/{share}",
            ["name"] = share,
            ["type"] = "Microsoft.Storage/storageAccounts/fileServices/shares",
            ["properties"] = properties,
        });
    }

    private async Task BecomeReadyAsync(DoubleGroup group)
    {
        await Task.Delay(group.Latency);
        if (group.WillFail || !_options.ServeHttp)
        {
            return;
        }
        var http = LoopbackJupyter.Start(group.Address, group.Port, group.Name, group.BasePath, group.Token);
        bool keep;
        lock (_gate)
        {
            keep = _groups.TryGetValue(group.Name, out var current) && ReferenceEquals(current, group) && group.DeletingSince is null;
            if (keep)
            {
                group.Http = http;
            }
            else if (http is null)
            {
                return;
            }
        }
        if (!keep && http is not null)
        {
            await http.DisposeAsync();
        }
        if (http is null)
        {
            lock (_gate)
            {
                _problems.Add($"group {group.Name} could not listen on {group.Address}:{group.Port}");
            }
        }
    }

    private async Task RemoveLaterAsync(DoubleGroup group, TimeSpan delay)
    {
        await Task.Delay(delay);
        lock (_gate)
        {
            if (_groups.TryGetValue(group.Name, out var current) && ReferenceEquals(current, group))
            {
                _groups.Remove(group.Name);
            }
        }
        if (group.Http is { } http)
        {
            await http.DisposeAsync();
        }
    }

    private IResult? ValidateBody(string json, SpecValidator validator, string what)
    {
        IReadOnlyList<string> errors;
        try
        {
            errors = validator.Validate(json);
        }
        catch (Newtonsoft.Json.JsonException ex)
        {
            errors = [$"not JSON: {ex.Message}"];
        }
        if (errors.Count == 0)
        {
            return null;
        }
        Increment("invalid");
        string message = string.Join("; ", errors);
        return Problem($"{what}: body does not match the spec: {message}", 400, "InvalidRequestContent", "The request content was invalid and could not be deserialized: " + message);
    }

    private IResult? CheckScope(string subscription, string resourceGroup) =>
        string.Equals(subscription, SubscriptionId, StringComparison.OrdinalIgnoreCase) && string.Equals(resourceGroup, ResourceGroup, StringComparison.OrdinalIgnoreCase)
            ? null
            : Problem($"request for subscription {subscription}, resource group {resourceGroup}", 404, "ResourceGroupNotFound", $"Resource group '{resourceGroup}' could not be found.");

    private IResult Problem(string problem, int status, string code, string message)
    {
        lock (_gate)
        {
            _problems.Add(problem);
        }
        return Results.Json(Error(code, message), statusCode: status);
    }

    private static JsonObject Error(string code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

    private string OperationUrl(string name) =>
        new Uri(Endpoint, $"/subscriptions/{SubscriptionId}/providers/Microsoft.ContainerInstance/locations/{Location}/operations/{name}?api-version=2025-09-01").AbsoluteUri;

    private void Increment(string counter)
    {
        lock (_gate)
        {
            _counters[counter] = _counters.GetValueOrDefault(counter) + 1;
        }
    }

    /// <summary>A deterministic number in [0, 1) for this seed and key, so that failures repeat run after run.</summary>
    private double Chance(string key)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(_options.Seed.ToString(CultureInfo.InvariantCulture) + "/" + key));
        return BitConverter.ToUInt32(hash, 0) / (double)uint.MaxValue;
    }

    /// <summary>127.a.b.c, skipping 127.0.x.x (where everything else on the machine listens).</summary>
    private IPAddress NextAddress()
    {
        int n = _addresses++;
        return new IPAddress([127, (byte)(1 + n / (256 * 254) % 254), (byte)(n / 254 % 256), (byte)(1 + n % 254)]);
    }

    public async ValueTask DisposeAsync()
    {
        List<LoopbackJupyter> listeners;
        lock (_gate)
        {
            listeners = _groups.Values.Select(g => g.Http).OfType<LoopbackJupyter>().ToList();
            _groups.Clear();
            _optionsChanged.Cancel();
        }
        foreach (var listener in listeners)
        {
            await listener.DisposeAsync();
        }
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [GeneratedRegex("^[a-z0-9]([a-z0-9]|-(?!-)){0,61}[a-z0-9]$|^[a-z0-9]$")]
    private static partial Regex GroupNamePattern();

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ShareNamePattern();
}
