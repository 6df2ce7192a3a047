using System.Buffers;
using System.Globalization;
using Hub.Core.Store;
using Hub.Gateway.Activity;

namespace Hub.Gateway.Forwarding.Http1;

/// <summary>
/// Copies one response body from a backend connection to the client as it arrives, straight from the connection's
/// buffer. Chunked bodies are decoded strictly (hex sizes, CRLF after every chunk, trailers read and dropped) and sent
/// on in the client's own framing. A failed write to the client is a <see cref="ClientWriteException"/>; a backend
/// that stops early fails with <see cref="EndOfStreamException"/>.
/// </summary>
internal sealed class Http1Body(HttpContext context, Http1Connection connection, ActivityRecorder activity, ServerKey? server)
{
    private const int MaxLineLength = 8 * 1024;
    private const int MaxTrailerSize = Http1ResponseHead.MaxHeadSize;
    private static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789abcdefABCDEF"u8);

    public async Task CopyAsync(long length)
    {
        while (length > 0)
        {
            if (connection.Buffered.IsEmpty && await connection.FillAsync(MaxLineLength).ConfigureAwait(false) == 0)
            {
                throw new EndOfStreamException("the server closed the connection before the end of the body");
            }
            int count = (int)Math.Min(connection.Buffered.Length, length);
            await WriteAsync(connection.BufferedMemory[..count]).ConfigureAwait(false);
            connection.Consume(count);
            length -= count;
        }
    }

    /// <summary>Passes on the first <paramref name="length"/> buffered bytes, which are the whole body.</summary>
    public ValueTask CopyBufferedAsync(int length)
    {
        if (length == 0)
        {
            return ValueTask.CompletedTask;
        }
        var write = WriteAsync(connection.BufferedMemory[..length]);
        // Consuming only moves the buffer's indexes; the bytes stay put until the next receive, after this write.
        connection.Consume(length);
        return write;
    }

    public async Task CopyUntilCloseAsync()
    {
        while (!connection.Buffered.IsEmpty || await connection.FillAsync(MaxLineLength).ConfigureAwait(false) > 0)
        {
            int count = connection.Buffered.Length;
            await WriteAsync(connection.BufferedMemory).ConfigureAwait(false);
            connection.Consume(count);
        }
    }

    public async Task CopyChunkedAsync()
    {
        while (true)
        {
            var line = await ReadLineAsync().ConfigureAwait(false);
            long size = ChunkSize(connection.Buffered[..line]);
            connection.Consume(line + 2);
            if (size == 0)
            {
                break;
            }
            await CopyAsync(size).ConfigureAwait(false);
            while (connection.Buffered.Length < 2)
            {
                await FillOrThrowAsync().ConfigureAwait(false);
            }
            if (!connection.Buffered.StartsWith("\r\n"u8))
            {
                throw new Http1ProtocolException("a chunk of the response body is longer than its size says");
            }
            connection.Consume(2);
        }
        for (int trailers = 0; ; )
        {
            int line = await ReadLineAsync().ConfigureAwait(false);
            connection.Consume(line + 2);
            if (line == 0)
            {
                return;
            }
            if ((trailers += line + 2) > MaxTrailerSize)
            {
                throw new Http1ProtocolException($"the response's trailers are longer than {MaxTrailerSize} bytes");
            }
        }
    }

    /// <summary>Waits for a complete line; returns its length without the CRLF (which must be there, not a bare LF).</summary>
    private async ValueTask<int> ReadLineAsync()
    {
        while (true)
        {
            int lf = connection.Buffered.IndexOf((byte)'\n');
            if (lf == 0 || (lf > 0 && connection.Buffered[lf - 1] != '\r'))
            {
                throw new Http1ProtocolException("the chunked response body has a line that does not end in CRLF");
            }
            if (lf > 0)
            {
                return lf - 1;
            }
            await FillOrThrowAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask FillOrThrowAsync()
    {
        if (await connection.FillAsync(MaxLineLength).ConfigureAwait(false) == 0)
        {
            throw new EndOfStreamException("the server closed the connection before the end of the chunked body");
        }
    }

    /// <summary>chunk-size [chunk-ext]: hex digits, then optionally extensions after a semicolon (ignored).</summary>
    private static long ChunkSize(ReadOnlySpan<byte> line)
    {
        int digits = line.IndexOfAnyExcept(HexDigits);
        if (digits < 0)
        {
            digits = line.Length;
        }
        var extension = line[digits..].TrimStart(" \t"u8);
        if (digits is 0 or > 15 || (!extension.IsEmpty && (extension[0] != ';' || extension.ContainsAnyInRange((byte)0, (byte)8)
            || extension.ContainsAnyInRange((byte)10, (byte)31) || extension.Contains((byte)127))))
        {
            throw new Http1ProtocolException("the chunked response body has an invalid chunk size line");
        }
        return long.Parse(line[..digits], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
    }

    private async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            // Kestrel flushes each write: every chunk reaches the client as soon as the backend sent it.
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            throw new ClientWriteException(ex);
        }
        if (server is { } key)
        {
            activity.Record(key);
        }
    }
}

/// <summary>Writing to the client failed: the client went away.</summary>
internal sealed class ClientWriteException(Exception inner) : Exception(inner.Message, inner);
