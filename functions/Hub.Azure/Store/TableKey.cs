using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hub.Azure.Store;

/// <summary>
/// Turns any user or server name into a valid PartitionKey or RowKey, injectively. Characters the Table service
/// forbids in keys (<c>/ \ # ?</c> and control characters), and <c>%</c> and <c>~</c> themselves, become
/// <c>%XX</c>; everything else stays readable. A result longer than the service allows is cut and given a
/// SHA-256 suffix after <c>~</c>, which no escaped name can contain, so two names never share a key.
/// </summary>
public static class TableKey
{
    /// <summary>Keys are at most 1 KiB of UTF-16: 512 characters. Stay well below.</summary>
    private const int MaxEncodedLength = 480;
    private const int KeptPrefixLength = 400;

    public static string Encode(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new StringBuilder(name.Length + 8);
        foreach (char c in name)
        {
            if (c is '%' or '/' or '\\' or '#' or '?' or '~' || c <= '\u001F' || c is >= '\u007F' and <= '\u009F')
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        if (builder.Length <= MaxEncodedLength)
        {
            return builder.ToString();
        }

        int cut = KeptPrefixLength;
        // Do not split an escape or a surrogate pair.
        while (cut > 0 && (builder[cut - 1] == '%' || (cut > 1 && builder[cut - 2] == '%') || char.IsHighSurrogate(builder[cut - 1])))
        {
            cut--;
        }
        string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        return builder.ToString(0, cut) + "~" + hash;
    }

    /// <summary>The name a key was made from, when the key is not a hashed (cut) one.</summary>
    public static bool TryDecode(string key, out string name)
    {
        name = "";
        if (key.Contains('~'))
        {
            return false;
        }
        var builder = new StringBuilder(key.Length);
        for (int i = 0; i < key.Length; i++)
        {
            if (key[i] == '%')
            {
                if (i + 2 >= key.Length || !int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                {
                    return false;
                }
                builder.Append((char)code);
                i += 2;
            }
            else
            {
                builder.Append(key[i]);
            }
        }
        name = builder.ToString();
        return true;
    }
}
