using Microsoft.AspNetCore.WebUtilities;

namespace Hub.Functions.Api;

/// <summary>
/// Every API error: <c>application/problem+json</c> with <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>,
/// plus JupyterHub's <c>message</c> (what its clients read) carrying the same text.
/// </summary>
public static class ApiProblem
{
    public const string ContentType = "application/problem+json";

    public static IResult Of(int status, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        new ProblemResult(status, message, headers);

    public static IResult BadRequest(string message) => Of(StatusCodes.Status400BadRequest, message);

    public static IResult NotFound(string message) => Of(StatusCodes.Status404NotFound, message);

    public static IResult Forbidden(string message) => Of(StatusCodes.Status403Forbidden, message);

    public static IResult MissingScope(params string[] scopes) =>
        Forbidden($"Action is not authorized with current scopes; requires any of [{string.Join(", ", scopes)}]");

    private sealed class ProblemResult(int status, string message, IReadOnlyDictionary<string, string>? headers) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => status;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (headers is not null)
            {
                foreach (var (name, value) in headers)
                {
                    httpContext.Response.Headers[name] = value;
                }
            }
            var body = new ProblemBody("about:blank", ReasonPhrases.GetReasonPhrase(status), status, message, message);
            return Results.Json(body, ApiJson.Options, ContentType, status).ExecuteAsync(httpContext);
        }
    }

    private sealed record ProblemBody(string Type, string Title, int Status, string Detail, string Message);
}
