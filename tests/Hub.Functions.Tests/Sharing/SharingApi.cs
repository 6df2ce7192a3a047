using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Hub.Functions.Tests.Sharing;

/// <summary>Small helpers of the sharing tests: expected statuses with the body in the message, problem+json messages, JSON bodies.</summary>
internal static class SharingApi
{
    public static async Task<string> BodyAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return text;
    }

    public static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string text = await BodyAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.GetProperty("message").GetString()!;
    }

    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body = null) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) });

    public static Task<HttpResponseMessage> SendRawAsync(HttpClient client, HttpMethod method, string path, string json) =>
        client.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") });

    public static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;

    public static IReadOnlyList<JsonElement> Items(string page) => Json(page).GetProperty("items").EnumerateArray().ToList();
}
