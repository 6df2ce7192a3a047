using System.Text.Json.Nodes;
using Hub.Core.Spawning;
using Hub.Core.Store;

namespace Hub.Azure.Arm;

/// <summary>
/// The PUT bodies the ACI spawner sends: a container group per server (Jupyter with the token as a secure value, the
/// user's share as home, a private IP in the delegated subnet or a public IP with a DNS label, tags that mark it as
/// this hub's) and a file share per user. Secrets in them (token, storage key) are never logged; GET never returns them.
/// </summary>
public static class ContainerGroupDefinition
{
    /// <summary>Tag marking a group as this hub's; its value is <see cref="ContainerInstancesOptions.NamePrefix"/>.</summary>
    public const string HubTag = "serverless-hub";

    /// <summary>Tags naming the group's server (user name, server name; cut at ARM's 256 characters).</summary>
    public const string UserTag = "hub-user", ServerTag = "hub-server";

    public const string ContainerName = "notebook";
    public const string HomeVolume = "home";
    public const string TemplateVolume = "template";
    private const string TemplateMarker = ".serverless-hub-template-copied";
    private const int MaxTagValueLength = 256;

    /// <summary>Exit code of <see cref="StartCommand"/> when the home is not writable (sysexits' EX_CANTCREAT).</summary>
    public const int HomeNotWritableExitCode = 73;

    public static string GroupName(ContainerInstancesOptions options, ServerKey server) => ResourceNames.Prefixed(options.NamePrefix, server);

    public static string ShareName(ContainerInstancesOptions options, string user) => ResourceNames.Prefixed(options.NamePrefix, user);

    public static BinaryData Share(ContainerInstancesOptions options, string user) => BinaryData.FromString(new JsonObject
    {
        ["properties"] = new JsonObject
        {
            ["shareQuota"] = options.ShareQuotaGiB,
            ["enabledProtocols"] = "SMB",
            ["accessTier"] = "TransactionOptimized",
            ["metadata"] = new JsonObject { ["hubprefix"] = options.NamePrefix },
        },
    }.ToJsonString());

    public static BinaryData Group(ContainerInstancesOptions options, SpawnerStart start)
    {
        var profile = start.Profile;
        string home = options.HomeMountPath;
        var values = new Dictionary<string, string>
        {
            ["{port}"] = options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["{base_url}"] = ServerUrls.BasePath(start.Key),
            ["{home}"] = home,
            ["{user}"] = start.Key.User,
            ["{server}"] = start.Key.Server,
        };
        var command = StartCommand(home, (profile.CommandArguments ?? options.CommandArguments)
            .Select(a => values.Aggregate(a, (text, v) => text.Replace(v.Key, v.Value, StringComparison.Ordinal))));

        var environment = new JsonArray(ServerEnvironment.For(start, $"http://0.0.0.0:{options.Port}")
            .Select(v => (JsonNode)new JsonObject { ["name"] = v.Key, [ServerEnvironment.SecretNames.Contains(v.Key) ? "secureValue" : "value"] = v.Value })
            .ToArray());
        foreach (var (name, value) in options.EnvironmentVariables.Concat(profile.EnvironmentOrEmpty).GroupBy(p => p.Key).Select(g => g.Last()))
        {
            environment.Add(new JsonObject { ["name"] = name, ["value"] = value });
        }

        var ports = () => new JsonArray { new JsonObject { ["port"] = options.Port, ["protocol"] = "TCP" } };
        string image = profile.Image ?? options.Image;
        var properties = new JsonObject
        {
            ["osType"] = "Linux",
            ["restartPolicy"] = "Never",
            ["containers"] = new JsonArray
            {
                new JsonObject
                {
                    ["name"] = ContainerName,
                    ["properties"] = new JsonObject
                    {
                        ["image"] = image,
                        ["command"] = command,
                        ["ports"] = ports(),
                        ["environmentVariables"] = environment,
                        ["resources"] = new JsonObject
                        {
                            ["requests"] = new JsonObject
                            {
                                ["cpu"] = profile.Cpu ?? options.Cpu,
                                ["memoryInGB"] = profile.MemoryInGb ?? options.MemoryInGb,
                            },
                        },
                        ["volumeMounts"] = new JsonArray { new JsonObject { ["name"] = HomeVolume, ["mountPath"] = home, ["readOnly"] = false } },
                    },
                },
            },
            ["volumes"] = new JsonArray { AzureFile(options, HomeVolume, ShareName(options, start.Key.User), readOnly: false) },
        };

        if (options.TemplateShare.Length > 0)
        {
            ((JsonArray)properties["volumes"]!).Add(AzureFile(options, TemplateVolume, options.TemplateShare, readOnly: true));
            // Copies the course files into a home that has not had them yet (never overwriting), then marks the home.
            string script = $"[ -e /hub-home/{TemplateMarker} ] || {{ cp -Rn /hub-template/. /hub-home/ && touch /hub-home/{TemplateMarker}; }}; exit 0";
            properties["initContainers"] = new JsonArray
            {
                new JsonObject
                {
                    ["name"] = "home-template",
                    ["properties"] = new JsonObject
                    {
                        ["image"] = image,
                        ["command"] = new JsonArray("/bin/sh", "-c", script),
                        ["volumeMounts"] = new JsonArray
                        {
                            new JsonObject { ["name"] = HomeVolume, ["mountPath"] = "/hub-home", ["readOnly"] = false },
                            new JsonObject { ["name"] = TemplateVolume, ["mountPath"] = "/hub-template", ["readOnly"] = true },
                        },
                    },
                },
            };
        }

        string groupName = GroupName(options, start.Key);
        if (options.SubnetId.Length > 0)
        {
            properties["ipAddress"] = new JsonObject { ["type"] = "Private", ["ports"] = ports() };
            properties["subnetIds"] = new JsonArray { new JsonObject { ["id"] = options.SubnetId } };
        }
        else
        {
            properties["ipAddress"] = new JsonObject
            {
                ["type"] = "Public",
                ["ports"] = ports(),
                ["dnsNameLabel"] = groupName,
                ["autoGeneratedDomainNameLabelScope"] = "TenantReuse",
            };
        }

        return BinaryData.FromString(new JsonObject
        {
            ["location"] = options.Location,
            ["tags"] = new JsonObject
            {
                [HubTag] = options.NamePrefix,
                [UserTag] = TagValue(start.Key.User),
                [ServerTag] = TagValue(start.Key.Server),
            },
            ["properties"] = properties,
        }.ToJsonString());
    }

    /// <summary>
    /// The container's command: <paramref name="command"/>, started only once a file can be created in
    /// <paramref name="home"/>. Container Instances mounts Azure Files as root with mode 0777 and ignores chmod/chown, so a
    /// non-root notebook user (uid 1000 in the Docker Stacks) can write only while those modes hold; if they do not
    /// (a mount made read-only, other modes), Jupyter would start and then fail at every save. Instead the container
    /// exits with <see cref="HomeNotWritableExitCode"/> and the spawn fails saying why (<see cref="ContainerGroupState"/>).
    /// Needs <c>/bin/sh</c> in the image, as the template's copying init container does.
    /// </summary>
    public static JsonArray StartCommand(string home, IEnumerable<string> command)
    {
        const string script = "home=\"$1\"; shift; probe=\"$home/.serverless-hub-write-check.$$\"; "
            + "if ( : > \"$probe\" ) 2>/dev/null && rm -f \"$probe\"; then exec \"$@\"; fi; "
            + "echo \"serverless-hub: the home folder $home is not writable by uid $(id -u); Jupyter was not started\" >&2; exit 73";
        return new JsonArray(new[] { "/bin/sh", "-c", script, "hub-start", home }.Concat(command).Select(a => (JsonNode)JsonValue.Create(a)!).ToArray());
    }

    /// <summary>The server a group belongs to, from its name and tags; <c>null</c> unless the tags name it exactly.</summary>
    public static ServerKey? OwnerOf(ContainerInstancesOptions options, string groupName, IReadOnlyDictionary<string, string> tags)
    {
        if (!tags.TryGetValue(UserTag, out var user) || user.Length == 0)
        {
            return null;
        }
        var key = new ServerKey(user, tags.GetValueOrDefault(ServerTag) ?? "");
        // A cut tag cannot reproduce the group's name: then the owner is unknown, and the group is left alone.
        return GroupName(options, key) == groupName ? key : null;
    }

    private static JsonObject AzureFile(ContainerInstancesOptions options, string volume, string share, bool readOnly) => new()
    {
        ["name"] = volume,
        ["azureFile"] = new JsonObject
        {
            ["shareName"] = share,
            ["storageAccountName"] = options.StorageAccount,
            ["storageAccountKey"] = options.StorageAccountKey,
            ["readOnly"] = readOnly,
        },
    };

    private static string TagValue(string value) => value.Length <= MaxTagValueLength ? value : value[..MaxTagValueLength];
}
