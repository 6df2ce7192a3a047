using Azure.Core;
using Azure.Core.Pipeline;

namespace Hub.Azure.Tables;

/// <summary>Adds the protocol headers every Table request carries, so that operations only set what is their own.</summary>
internal sealed class TableProtocolHeadersPolicy(string serviceVersion) : HttpPipelineSynchronousPolicy
{
    public const string JsonMinimalMetadata = "application/json;odata=minimalmetadata";

    public override void OnSendingRequest(HttpMessage message)
    {
        var headers = message.Request.Headers;
        headers.SetValue("x-ms-version", serviceVersion);
        headers.SetValue("DataServiceVersion", "3.0");
        headers.SetValue("MaxDataServiceVersion", "3.0;NetFx");
        if (!headers.Contains(HttpHeader.Names.Accept))
        {
            headers.SetValue(HttpHeader.Names.Accept, JsonMinimalMetadata);
        }
    }
}
