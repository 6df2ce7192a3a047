using System.Text.Json;
using Hub.Core.Spawning;

namespace Hub.Azure.Arm;

/// <summary>
/// Reads a container group as ARM returns it (GET) into what the reconcile loop needs. Ready for the hub means
/// provisioning <c>Succeeded</c>, instance state <c>Running</c> and an IP; the loop then checks HTTP itself.
/// </summary>
public static class ContainerGroupState
{
    /// <summary>Provisioning states after which ARM changes nothing more by itself.</summary>
    public static readonly IReadOnlySet<string> Terminal = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Succeeded", "Failed", "Canceled", "Unhealthy" };

    public static SpawnerObservation Observe(JsonElement group, int port)
    {
        var properties = Child(group, "properties");
        string provisioning = Text(properties, "provisioningState") ?? "NotSpecified";
        var instanceView = Child(properties, "instanceView");
        string? state = Text(instanceView, "state");
        string? ip = Text(Child(properties, "ipAddress"), "ip");
        var container = FirstContainerView(properties);
        var current = Child(container, "currentState");

        if (provisioning is "Failed" or "Canceled" or "Unhealthy")
        {
            return new SpawnerObservation(SpawnerStatus.Failed, Message: "Azure could not start your server.",
                Detail: $"provisioning state {provisioning}; {Events(instanceView, container)}");
        }
        if (provisioning == "Deleting")
        {
            return new SpawnerObservation(SpawnerStatus.Stopping);
        }
        if (provisioning != "Succeeded")
        {
            return new SpawnerObservation(SpawnerStatus.Creating, Message: IsPulling(container) ? "Downloading the server's software" : null);
        }
        if (state == "Running" && !string.IsNullOrEmpty(ip))
        {
            return new SpawnerObservation(SpawnerStatus.Running, Target: new Uri($"http://{ip}:{port}/"));
        }
        if (Text(current, "state") == "Terminated" || state is "Stopped" or "Failed" or "Succeeded")
        {
            bool hasExit = current.TryGetProperty("exitCode", out var code) && code.ValueKind == JsonValueKind.Number;
            string exit = hasExit ? $"exit code {code.GetInt32()}" : "no exit code";
            if (hasExit && code.GetInt32() == ContainerGroupDefinition.HomeNotWritableExitCode)
            {
                return new SpawnerObservation(SpawnerStatus.Failed,
                    Message: "Your home folder could not be written to, so your server was not started. Please tell the hub's administrator.",
                    Detail: $"the home share is mounted but not writable by the image's user (Azure Files mounts are root-owned; the image must run as root or the mount keep mode 0777): {exit}; {Events(instanceView, container)}");
            }
            return new SpawnerObservation(SpawnerStatus.Failed, Message: "Jupyter exited.",
                Detail: $"instance state {state ?? "unknown"}, {exit}, {Text(current, "detailStatus") ?? "no detail"}; {Events(instanceView, container)}");
        }
        return new SpawnerObservation(SpawnerStatus.Starting, Message: IsPulling(container) ? "Downloading the server's software" : null);
    }

    /// <summary>When the (first) container started, as ACI reports it; <c>null</c> when it does not say.</summary>
    public static DateTimeOffset? ContainerStarted(JsonElement group)
    {
        var current = Child(FirstContainerView(Child(group, "properties")), "currentState");
        return Text(current, "startTime") is { } text
            && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var started)
            ? started
            : null;
    }

    private static JsonElement FirstContainerView(JsonElement properties)
    {
        if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("containers", out var containers)
            && containers.ValueKind == JsonValueKind.Array && containers.GetArrayLength() > 0)
        {
            return Child(Child(containers[0], "properties"), "instanceView");
        }
        return default;
    }

    private static bool IsPulling(JsonElement container) =>
        EventMessages(container).Any(m => m.Contains("pulling", StringComparison.OrdinalIgnoreCase))
        && !EventMessages(container).Any(m => m.Contains("pulled", StringComparison.OrdinalIgnoreCase));

    private static string Events(JsonElement instanceView, JsonElement container)
    {
        var messages = EventMessages(instanceView).Concat(EventMessages(container)).TakeLast(3).ToList();
        string text = messages.Count == 0 ? "no events" : "events: " + string.Join(" | ", messages);
        return text.Length <= 500 ? text : text[..500] + "…";
    }

    private static IEnumerable<string> EventMessages(JsonElement view)
    {
        if (view.ValueKind != JsonValueKind.Object || !view.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }
        foreach (var item in events.EnumerateArray())
        {
            if (Text(item, "message") is { } message)
            {
                yield return message;
            }
        }
    }

    private static JsonElement Child(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) ? child : default;

    private static string? Text(JsonElement element, string name) =>
        Child(element, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;
}
