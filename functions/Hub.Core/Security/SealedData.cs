using System.Security.Cryptography;
using System.Text;

namespace Hub.Core.Security;

/// <summary>
/// Encrypts and authenticates small values that must make a round trip through the browser (the sign-in state:
/// PKCE verifier, nonce, return path) with AES-GCM under a key derived from the hub's secret key for one purpose.
/// Every instance that shares the hub key can open what another sealed; nothing needs storing.
/// </summary>
public sealed class SealedData
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public SealedData(byte[] hubKey, string purpose)
    {
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, hubKey, 32, info: Encoding.UTF8.GetBytes("sealed\n" + purpose));
    }

    public string Seal(string plaintext)
    {
        byte[] data = Encoding.UTF8.GetBytes(plaintext);
        byte[] output = new byte[NonceSize + TagSize + data.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, data, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize));
        return SecretHash.Base64Url(output);
    }

    /// <summary>The sealed text, or <c>null</c> if it was not sealed with this key and purpose or was altered.</summary>
    public string? Open(string? sealedText)
    {
        if (sealedText is null || sealedText.Length > 8192)
        {
            return null;
        }
        byte[] input;
        try
        {
            string padded = sealedText.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            input = Convert.FromBase64String(padded);
        }
        catch (FormatException)
        {
            return null;
        }
        if (input.Length < NonceSize + TagSize)
        {
            return null;
        }
        byte[] plain = new byte[input.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(input.AsSpan(0, NonceSize), input.AsSpan(NonceSize + TagSize), input.AsSpan(NonceSize, TagSize), plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        return Encoding.UTF8.GetString(plain);
    }
}
