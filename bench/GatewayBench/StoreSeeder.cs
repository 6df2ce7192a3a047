using Hub.Azure.Store;
using Hub.Azure.Tables;
using Hub.Core.Security;
using Hub.Core.Store;

namespace GatewayBench;

/// <summary>
/// Writes what the login and spawning parts of the hub would: user "alice" with a session and a route to TARGET,
/// an admin with a session, and ROUTES−1 more users' routes (to the same target). Prints the two cookies as JSON.
/// </summary>
internal static class StoreSeeder
{
    public static async Task<int> RunAsync(string connectionString, string prefix, Uri target, int routes)
    {
        var store = new TableHubStore(TableServiceConnection.FromConnectionString(connectionString), prefix);
        await store.InitializeAsync();
        var now = DateTimeOffset.UtcNow;
        string alice = await UserWithSessionAsync(store, "alice", admin: false, now);
        string admin = await UserWithSessionAsync(store, "admin", admin: true, now);
        await Parallel.ForAsync(0, routes, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
        {
            string user = i == 0 ? "alice" : $"student{i:D5}";
            await store.Routes.UpsertAsync(new RouteRecord { User = user, Target = target, TokenNonce = ServerTokens.NewNonce(), Updated = now }, token);
        });
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { alice = $"{HubCookies.Session}={alice}", admin = $"{HubCookies.Session}={admin}" }));
        return 0;
    }

    private static async Task<string> UserWithSessionAsync(TableHubStore store, string name, bool admin, DateTimeOffset now)
    {
        await store.Users.UpsertAsync(new UserRecord { Name = name, Admin = admin, Created = now });
        string secret = SecretHash.NewSecret();
        await store.Sessions.UpsertAsync(new SessionRecord { IdHash = SecretHash.Of(secret), User = name, Created = now, Expires = now.AddDays(1) });
        return secret;
    }
}
