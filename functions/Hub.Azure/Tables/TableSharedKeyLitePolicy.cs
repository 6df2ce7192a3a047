using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Hub.Azure.Tables;

/// <summary>
/// Signs every attempt with SharedKeyLite, as the Table service and Azurite expect:
/// <c>HMAC-SHA256(key, x-ms-date + "\n" + "/" + account + path [+ "?comp=" + value])</c>.
/// Runs per retry so that a retried request carries a fresh date.
/// </summary>
internal sealed class TableSharedKeyLitePolicy(string accountName, byte[] accountKey, TimeProvider time) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        string date = time.GetUtcNow().ToString("r", CultureInfo.InvariantCulture);
        message.Request.Headers.SetValue("x-ms-date", date);

        Uri uri = message.Request.Uri.ToUri();
        // Azurite's path already holds the account; signing "/" + account + path (the account twice) is what it expects.
        var resource = new StringBuilder("/").Append(accountName).Append(uri.AbsolutePath);
        string? comp = CompParameter(uri.Query);
        if (comp is not null)
        {
            resource.Append("?comp=").Append(comp);
        }

        byte[] signature = HMACSHA256.HashData(accountKey, Encoding.UTF8.GetBytes(date + "\n" + resource));
        message.Request.Headers.SetValue(HttpHeader.Names.Authorization, $"SharedKeyLite {accountName}:{Convert.ToBase64String(signature)}");
    }

    private static string? CompParameter(string query)
    {
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("comp=", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.UnescapeDataString(pair[5..]);
            }
        }
        return null;
    }
}
