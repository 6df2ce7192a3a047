using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Hub.Core.Security;

/// <summary>
/// The client's address as the gateway saw it, signed with a key derived from the hub's secret key, in
/// <c>X-Hub-Client: {address} {signature}</c> on every request the gateway sends to the control plane. The control
/// plane's login limits count per client; behind the Functions host, whose proxy sets <c>X-Forwarded-For</c> to its
/// own front end, every request would otherwise look like one client, and one student's typos would lock out a class.
/// </summary>
public sealed class ClientAddressHeader(byte[] hubKey)
{
    public const string Name = "X-Hub-Client";

    private readonly byte[] _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, hubKey, 32, info: Encoding.UTF8.GetBytes("client-address"));

    /// <summary>The header's value for <paramref name="address"/>.</summary>
    public string Create(IPAddress address)
    {
        string text = address.ToString();
        return text + " " + Sign(text);
    }

    /// <summary>The address a header made by <see cref="Create"/> holds, or <c>null</c> when it is missing, malformed or not signed with this key.</summary>
    public IPAddress? Verify(string? header)
    {
        int space = header?.LastIndexOf(' ') ?? -1;
        if (space <= 0 || space > 64)
        {
            return null;
        }
        string text = header![..space];
        byte[] expected = Encoding.ASCII.GetBytes(Sign(text));
        byte[] given = Encoding.ASCII.GetBytes(header[(space + 1)..]);
        return CryptographicOperations.FixedTimeEquals(expected, given) && IPAddress.TryParse(text, out var address) ? address : null;
    }

    private string Sign(string address) => SecretHash.Base64Url(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(address)));
}
