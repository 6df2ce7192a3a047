using System.Security.Cryptography;
using System.Text;

namespace Hub.Core.Security;

/// <summary>
/// <c>X-Hub-Timer: {secret}</c>, the credential a caller other than the Functions host shows to run a timer job by
/// HTTP (<c>POST /reconcile</c>, <c>/cull-idle</c>, <c>/prewarm</c>): a value derived from the hub's secret key, so
/// whoever can read the key (an operator, the tests) can make it, and nothing that only reaches the control plane's
/// port can. The gateway never sends it and drops it from what clients send.
/// </summary>
public sealed class TimerInvocationHeader(byte[] hubKey)
{
    public const string Name = "X-Hub-Timer";

    private readonly byte[] _value = Encoding.ASCII.GetBytes(
        SecretHash.Base64Url(HKDF.DeriveKey(HashAlgorithmName.SHA256, hubKey, 32, info: Encoding.UTF8.GetBytes("timer-invocation"))));

    /// <summary>The header's value.</summary>
    public string Value => Encoding.ASCII.GetString(_value);

    /// <summary>Whether <paramref name="header"/> is the value (compared in constant time).</summary>
    public bool Verify(string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(_value, Encoding.ASCII.GetBytes(header));
}
