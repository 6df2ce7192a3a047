using System.Buffers;
using System.Net;

namespace Hub.Gateway.Forwarding;

/// <summary>
/// The client's request body, passed to the backend as it arrives: each chunk is written and flushed at once,
/// nothing is buffered beyond one chunk, so a 100 MB upload starts reaching the backend with its first bytes.
/// </summary>
internal sealed class StreamingRequestContent : HttpContent
{
    internal const int ChunkSize = 64 * 1024;

    private readonly Stream _body;
    private readonly long? _length;

    /// <param name="length">The client's Content-Length; <c>null</c> sends the body chunked.</param>
    public StreamingRequestContent(Stream body, long? length)
    {
        _body = body;
        _length = length;
    }

    /// <summary>Reading from the client failed (it went away or sent a malformed body), as opposed to writing to the backend.</summary>
    public bool ClientFailed { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    ClientFailed = true;
                    throw;
                }
                if (read == 0)
                {
                    return;
                }
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _length ?? 0;
        return _length.HasValue;
    }
}
