using System.Text.Json.Serialization;

namespace Hub.Functions.Api.Models;

/// <summary>One <c>data:</c> line of the progress event stream, as JupyterHub writes it; the optional fields only when they apply.</summary>
public sealed record ProgressEvent(int Progress, string Message, string HtmlMessage)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? QueuePosition { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Ready { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Url { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Failed { get; init; }
}
