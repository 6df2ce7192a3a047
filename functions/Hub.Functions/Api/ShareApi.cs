using Hub.Core.Hosting;
using Hub.Core.Security;
using Hub.Core.Sharing;
using Hub.Core.Spawning;
using Hub.Core.Store;
using Hub.Functions.Api.Models;

namespace Hub.Functions.Api;

/// <summary>
/// What the sharing endpoints have in common (the shared server itself is found by <see cref="TargetFilter.SharedServer"/>,
/// the bodies are read by <see cref="ShareRequest"/> and <see cref="ShareCodeRequest"/>): the <c>Share</c> and
/// <c>ShareCode</c> models and their pages.
/// </summary>
public static class ShareApi
{
    public static IResult NoSuchServer(ServerKey server) => ApiProblem.NotFound($"No such server: {LogText.Cap(server.User)}/{LogText.Cap(server.Server)}");

    /// <summary>Whether the request path ends in <c>/</c>: <c>/shares/{owner}/</c> names the owner's default server.</summary>
    public static bool NamesDefaultServer(HttpContext context) => context.Request.Path.Value?.EndsWith('/') == true;

    /// <summary>405 for a change sent to <c>/shares/{owner}</c> without a server (JupyterHub answers the same).</summary>
    public static IResult MethodNotAllowed(HttpContext context) =>
        ApiProblem.Of(StatusCodes.Status405MethodNotAllowed, $"{context.Request.Method} needs a server: add '/' for the default server or '/{{server_name}}'.");

    /// <summary>JupyterHub's shortened server model in shares: owner, name, URLs and whether it is ready.</summary>
    public static SharedServerResponse ServerModel(ServerKey server, ServerRecord? record, HubOptions hub)
    {
        string url = ServerUrls.BasePath(server);
        return new SharedServerResponse(new NameResponse(server.User), server.Server, url, new Uri(hub.PublicUrl, url).AbsoluteUri, record is not null && ApiModels.IsReady(record));
    }

    public static ShareResponse ShareModel(ShareRecord share, ServerRecord? server, HubOptions hub)
    {
        bool user = share.Recipient.Kind == ShareRecipientKind.User;
        var name = new NameResponse(share.Recipient.Name);
        return new ShareResponse(ServerModel(share.Server, server, hub), share.Scopes, user ? name : null, user ? null : name, user ? "user" : "group", ApiJson.Time(share.Created));
    }

    public static ShareCodeResponse CodeModel(ShareCodeRecord code, ServerRecord? server, HubOptions hub) => new()
    {
        Server = ServerModel(code.Server, server, hub),
        Scopes = code.Scopes,
        Id = code.Id,
        CreatedAt = ApiJson.Time(code.Created),
        ExpiresAt = ApiJson.Time(code.Expires),
        ExchangeCount = code.ExchangeCount,
        LastExchangedAt = ApiJson.Time(code.LastExchanged),
    };

    /// <summary>The server records of <paramref name="servers"/> (for <c>ready</c>), read once each.</summary>
    public static async Task<Dictionary<ServerKey, ServerRecord?>> ServersAsync(IHubStore store, IEnumerable<ServerKey> servers, CancellationToken cancellationToken)
    {
        var records = new Dictionary<ServerKey, ServerRecord?>();
        foreach (var key in servers.Distinct())
        {
            records[key] = await store.Servers.GetAsync(key, cancellationToken);
        }
        return records;
    }

    /// <summary>A page of shares in the order they were granted, always in the pagination envelope (as JupyterHub's sharing lists).</summary>
    public static async Task<IResult> SharePageAsync(HttpContext context, IReadOnlyList<ShareRecord> shares)
    {
        if (!ApiPaging.TryRead(context.Request.Query, out int offset, out int limit, out var problem))
        {
            return problem!;
        }
        var services = context.RequestServices;
        var hub = services.GetRequiredService<HubOptions>();
        var page = shares.OrderBy(s => s.Created).ThenBy(s => s.Recipient.ToString(), StringComparer.Ordinal).Skip(offset).Take(limit).ToList();
        var servers = await ServersAsync(services.GetRequiredService<IHubStore>(), page.Select(s => s.Server), context.RequestAborted);
        return ApiPaging.Page(context, hub, context.Request.Path.Value!, page.Select(s => ShareModel(s, servers[s.Server], hub)).ToList(), offset, limit, shares.Count, envelope: true);
    }

    /// <summary>A page of unexpired share codes in the order they were issued, in the pagination envelope.</summary>
    public static async Task<IResult> CodePageAsync(HttpContext context, IReadOnlyList<ShareCodeRecord> codes)
    {
        if (!ApiPaging.TryRead(context.Request.Query, out int offset, out int limit, out var problem))
        {
            return problem!;
        }
        var services = context.RequestServices;
        var hub = services.GetRequiredService<HubOptions>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var live = codes.Where(c => c.Expires > now).OrderBy(c => c.Created).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var page = live.Skip(offset).Take(limit).ToList();
        var servers = await ServersAsync(services.GetRequiredService<IHubStore>(), page.Select(c => c.Server), context.RequestAborted);
        return ApiPaging.Page(context, hub, context.Request.Path.Value!, page.Select(c => CodeModel(c, servers[c.Server], hub)).ToList(), offset, limit, live.Count, envelope: true);
    }

    /// <summary>
    /// The shares (or codes) of the server the route names; on an owner-wide route, those of the owner's servers the
    /// caller holds <c>read:shares</c> for (a caller with it for some servers only sees those).
    /// </summary>
    public static async Task<List<T>> VisibleAsync<T>(Caller caller, ApiTarget target, Func<string, string?, CancellationToken, IAsyncEnumerable<T>> listForOwner,
        Func<T, ServerKey> serverOf, CancellationToken cancellationToken)
    {
        if (target.NamesServer)
        {
            return await ToListAsync(listForOwner(target.Server.User, target.Server.Server, cancellationToken));
        }
        var user = target.User;
        var all = await ToListAsync(listForOwner(user.Name, null, cancellationToken));
        return all.Where(item => caller.Scopes.Allows("read:shares", user.Name, user.Groups, serverOf(item).Server)).ToList();
    }

    public static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }
        return list;
    }
}
