using System.Text.Json;
using Azure.Core;

namespace Hub.Azure.Arm;

/// <summary>
/// The ARM operations of the ACI spawner: container groups (PUT, GET, DELETE, list) and file shares (PUT, GET with
/// statistics). Each call of one server may take <see cref="ContainerInstancesOptions.CallTimeout"/>; a list, the time
/// its caller gives.
/// </summary>
public sealed class ContainerGroupOperations(ArmClient arm, ContainerInstancesOptions options)
{
    private string ResourceGroupPath => $"/subscriptions/{options.SubscriptionId}/resourceGroups/{options.ResourceGroup}";

    public string GroupPath(string name) => $"{ResourceGroupPath}/providers/Microsoft.ContainerInstance/containerGroups/{name}";

    public string SharePath(string name) =>
        $"{ResourceGroupPath}/providers/Microsoft.Storage/storageAccounts/{options.StorageAccount}/fileServices/default/shares/{name}";

    public Task<ArmResponse> PutGroupAsync(string name, BinaryData body, CancellationToken cancellationToken) =>
        arm.SendAsync(RequestMethod.Put, GroupPath(name), options.ApiVersion, body, options.CallTimeout, cancellationToken);

    public Task<ArmResponse> GetGroupAsync(string name, CancellationToken cancellationToken) =>
        arm.SendAsync(RequestMethod.Get, GroupPath(name), options.ApiVersion, null, options.CallTimeout, cancellationToken);

    public Task<ArmResponse> DeleteGroupAsync(string name, CancellationToken cancellationToken) =>
        arm.SendAsync(RequestMethod.Delete, GroupPath(name), options.ApiVersion, null, options.CallTimeout, cancellationToken);

    public Task<ArmResponse> PutShareAsync(string name, BinaryData body, CancellationToken cancellationToken) =>
        arm.SendAsync(RequestMethod.Put, SharePath(name), options.StorageApiVersion, body, options.CallTimeout, cancellationToken);

    /// <summary>A share with its statistics (<c>shareUsageBytes</c>), for <see cref="AzureFilesHomeStorage"/>.</summary>
    public Task<ArmResponse> GetShareStatsAsync(string name, CancellationToken cancellationToken) =>
        arm.SendAsync(RequestMethod.Get, SharePath(name) + "?$expand=stats", options.StorageApiVersion, null, cancellationToken);

    /// <summary>One page of the resource group's container groups; pass the previous page's <c>nextLink</c> for the next.</summary>
    public Task<ArmResponse> ListGroupsPageAsync(string? nextLink, TimeSpan timeout, CancellationToken cancellationToken) =>
        arm.SendAsync(RequestMethod.Get, nextLink ?? $"{ResourceGroupPath}/providers/Microsoft.ContainerInstance/containerGroups", nextLink is null ? options.ApiVersion : null, null, timeout, cancellationToken);

    /// <summary>The items and next link of a list page.</summary>
    public static (IReadOnlyList<JsonElement> Items, string? NextLink) ReadPage(ArmResponse page)
    {
        if (page.Body is not { ValueKind: JsonValueKind.Object } body || !body.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Array)
        {
            throw page.Unexpected("a container group list (no 'value' array)");
        }
        string? next = body.TryGetProperty("nextLink", out var link) && link.ValueKind == JsonValueKind.String ? link.GetString() : null;
        return (value.EnumerateArray().ToList(), string.IsNullOrEmpty(next) ? null : next);
    }
}
