using Azure.Core;

namespace Hub.Azure.Tables;

/// <summary>Pipeline options of the Table client: retries, transport, diagnostics (from <see cref="ClientOptions"/>).</summary>
public sealed class TableClientOptions : ClientOptions
{
    /// <summary>The REST API version sent as <c>x-ms-version</c>; the one in the published spec and accepted by Azurite.</summary>
    public const string ServiceVersion = "2019-02-02";

    public TableClientOptions()
    {
        Retry.MaxRetries = 4;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(10);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        // Table payloads can carry user names; keep bodies and query strings out of logs.
        Diagnostics.IsLoggingContentEnabled = false;
        Diagnostics.IsTelemetryEnabled = false;
    }

    /// <summary>Clock used to date signed requests; tests may move it.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
