using System.Net;
using System.Security.Cryptography;

namespace Hub.Gateway.Tests.Support;

/// <summary>
/// A request body of <see cref="Length"/> test bytes that sends its first <c>gateAfter</c> bytes, then waits for
/// <c>gate</c> before sending the rest: if anything on the way buffered the whole body, the gate would never open.
/// </summary>
public sealed class GatedContent(long length, long gateAfter, Task gate, TimeSpan gateTimeout) : HttpContent
{
    public long Length => length;

    public string Sha256 { get; private set; } = "";

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[TestBackend.Chunk];
        for (long offset = 0; offset < length; offset += buffer.Length)
        {
            if (offset == gateAfter)
            {
                await stream.FlushAsync();
                await gate.WaitAsync(gateTimeout);
            }
            int count = (int)Math.Min(buffer.Length, length - offset);
            TestBackend.Fill(buffer.AsSpan(0, count), offset);
            hash.AppendData(buffer, 0, count);
            await stream.WriteAsync(buffer.AsMemory(0, count));
        }
        Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    protected override bool TryComputeLength(out long computed)
    {
        computed = length;
        return true;
    }
}
