using System.Text.Json;

namespace Hub.Functions.Api.Models;

/// <summary>
/// The body of <c>DELETE /users/{name}/server[s/{server}]</c>, which may be absent: <c>remove</c> (<c>false</c> when
/// absent) also deletes the server's record once it has stopped.
/// </summary>
public sealed record ServerStopRequest(bool Remove) : IRequestBody<ServerStopRequest>
{
    public static bool TryRead(JsonElement? body, out ServerStopRequest request, out IResult? problem)
    {
        request = new ServerStopRequest(false);
        problem = null;
        if (RequestFields.Present(body, "remove") is { } value)
        {
            if (!RequestFields.TryBool(value, out bool remove))
            {
                problem = ApiProblem.BadRequest("remove must be true or false.");
                return false;
            }
            request = new ServerStopRequest(remove);
        }
        return true;
    }
}
