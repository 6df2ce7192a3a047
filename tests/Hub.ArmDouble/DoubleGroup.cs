using System.Net;
using System.Text.Json.Nodes;

namespace Hub.ArmDouble;

/// <summary>One container group the double holds: the body it was created with, its timeline, and its HTTP stand-in.</summary>
internal sealed class DoubleGroup(string name, JsonObject definition, DateTimeOffset accepted, TimeSpan latency, bool willFail, int attempt, IPAddress address)
{
    public string Name { get; } = name;

    /// <summary>The PUT body as received (secrets included; never rendered).</summary>
    public JsonObject Definition { get; set; } = definition;

    public DateTimeOffset Accepted { get; } = accepted;

    public TimeSpan Latency { get; } = latency;

    public bool WillFail { get; } = willFail;

    public int Attempt { get; } = attempt;

    public IPAddress Address { get; } = address;

    public DateTimeOffset? DeletingSince { get; set; }

    public LoopbackJupyter? Http { get; set; }

    public DateTimeOffset Finished => Accepted + Latency;

    public string ProvisioningState(DateTimeOffset now) =>
        DeletingSince is not null ? "Deleting"
        : now < Accepted + Latency / 4 ? "Pending"
        : now < Finished ? "Creating"
        : WillFail ? "Failed"
        : "Succeeded";

    public bool IsRunning(DateTimeOffset now) => ProvisioningState(now) == "Succeeded";

    public int Port => Definition["properties"]?["ipAddress"]?["ports"]?[0]?["port"]?.GetValue<int>() ?? 0;

    public string Token => Variable("secureValue", "JUPYTER_TOKEN") ?? "";

    public string BasePath => Variable("value", "JUPYTERHUB_SERVICE_PREFIX") ?? "/";

    public IReadOnlyDictionary<string, string> Tags =>
        Definition["tags"] is JsonObject tags ? tags.ToDictionary(t => t.Key, t => t.Value?.GetValue<string>() ?? "") : new Dictionary<string, string>();

    /// <summary>The group as ARM shows it: secure values and keys removed, read-only state added.</summary>
    public JsonObject Render(string id, DateTimeOffset now, bool withInstanceView)
    {
        var group = (JsonObject)Definition.DeepClone();
        var properties = (JsonObject)group["properties"]!;
        foreach (var container in properties["containers"]?.AsArray() ?? [])
        {
            foreach (var variable in container?["properties"]?["environmentVariables"]?.AsArray() ?? [])
            {
                (variable as JsonObject)?.Remove("secureValue");
            }
        }
        foreach (var volume in properties["volumes"]?.AsArray() ?? [])
        {
            (volume?["azureFile"] as JsonObject)?.Remove("storageAccountKey");
        }
        group["id"] = id;
        group["name"] = Name;
        group["type"] = "Microsoft.ContainerInstance/containerGroups";
        string state = ProvisioningState(now);
        properties["provisioningState"] = state;
        if (state == "Succeeded" && properties["ipAddress"] is JsonObject ip)
        {
            ip["ip"] = Address.ToString();
        }
        if (withInstanceView)
        {
            var (groupState, containerState, events) = state switch
            {
                "Succeeded" => ("Running", "Running", new[] { "Pulling image", "Successfully pulled image", "Started container" }),
                "Failed" => ("Failed", "Terminated", new[] { "Pulling image", "Failed to pull image: the registry did not answer in time (injected failure)" }),
                _ => ("Pending", "Waiting", new[] { "Pulling image" }),
            };
            properties["instanceView"] = new JsonObject { ["state"] = groupState, ["events"] = new JsonArray() };
            foreach (var container in properties["containers"]?.AsArray() ?? [])
            {
                var current = new JsonObject { ["state"] = containerState, ["detailStatus"] = state == "Failed" ? "ImagePullFailed" : "" };
                if (containerState == "Running")
                {
                    current["startTime"] = Finished.ToString("O");
                }
                if (containerState == "Terminated")
                {
                    current["exitCode"] = 1;
                }
                ((JsonObject)container!["properties"]!)["instanceView"] = new JsonObject
                {
                    ["restartCount"] = 0,
                    ["currentState"] = current,
                    ["events"] = new JsonArray(events.Select(m => (JsonNode)new JsonObject { ["name"] = m.Split(' ')[0], ["message"] = m, ["type"] = "Normal", ["count"] = 1 }).ToArray()),
                };
            }
        }
        return group;
    }

    private string? Variable(string kind, string name)
    {
        foreach (var container in Definition["properties"]?["containers"]?.AsArray() ?? [])
        {
            foreach (var variable in container?["properties"]?["environmentVariables"]?.AsArray() ?? [])
            {
                if (variable?["name"]?.GetValue<string>() == name && variable[kind] is JsonValue value)
                {
                    return value.GetValue<string>();
                }
            }
        }
        return null;
    }
}

/// <summary>One provisioning attempt the double accepted: when, for how long, and whether it was made to fail.</summary>
public sealed record GroupAttempt(string Name, int Attempt, DateTimeOffset Accepted, TimeSpan Latency, bool Failed);
