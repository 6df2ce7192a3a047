using Hub.Core.Auth;
using Hub.Core.Store;

namespace Hub.Functions.Auth;

/// <summary>
/// What every authenticator does once it vouched for someone: apply the allow, block and admin lists, create or
/// update the user (admin flag, groups from the identity provider), start a session and set the cookies.
/// </summary>
public sealed class LoginCompleter(
    IHubStore store,
    LoginAccessPolicy policy,
    SessionManager sessions,
    AuthOptions options,
    HubCookieWriter cookies,
    Core.Security.XsrfTokens xsrf,
    TimeProvider time)
{
    /// <summary>Logs <paramref name="person"/> in, or returns <c>null</c> when the lists do not admit them.</summary>
    /// <param name="groupsFromProvider">The authenticator manages groups: replace the stored ones with <see cref="AuthenticatedPerson.Groups"/>.</param>
    public async Task<UserRecord?> CompleteAsync(HttpContext context, AuthenticatedPerson person, bool groupsFromProvider)
    {
        var cancellationToken = context.RequestAborted;
        var existing = await store.Users.GetAsync(person.Name, cancellationToken);
        var decision = policy.Decide(person, existing is not null);
        if (!decision.Allowed)
        {
            return null;
        }
        var user = await EnsureUserAsync(existing, person, decision, groupsFromProvider, cancellationToken);
        var (sessionId, session) = await sessions.StartAsync(user.Name, cancellationToken);
        cookies.SetSession(context.Response, sessionId, options.SessionLifetime);
        // A new session needs a new anti-forgery token: the old one was bound to no session (or another).
        cookies.SetXsrf(context.Response, xsrf.Issue(session.IdHash));
        return user;
    }

    private async Task<UserRecord> EnsureUserAsync(UserRecord? existing, AuthenticatedPerson person, LoginDecision decision, bool groupsFromProvider, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (existing is null)
        {
            var created = await store.Users.CreateAsync(new UserRecord
            {
                Name = person.Name,
                Admin = decision.Admin,
                Created = now,
                LastActivity = now,
                Groups = groupsFromProvider ? person.GroupList : [],
            }, cancellationToken);
            if (created.Succeeded)
            {
                return created.Record!;
            }
        }
        UserRecord? Change(UserRecord user)
        {
            bool admin = user.Admin || decision.Admin;
            var groups = groupsFromProvider ? person.GroupList : user.Groups;
            bool stale = user.LastActivity is null || now - user.LastActivity > RequestAuthenticator.ActivityResolution;
            return admin == user.Admin && groups.SequenceEqual(user.Groups) && !stale
                ? null
                : user with { Admin = admin, Groups = groups, LastActivity = stale ? now : user.LastActivity };
        }
        return await store.Users.ChangeAsync(person.Name, Change, cancellationToken)
            ?? throw new InvalidOperationException($"User {person.Name} disappeared while logging in.");
    }
}
