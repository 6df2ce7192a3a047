namespace Hub.Gateway.Forwarding;

/// <summary>
/// A stream that tells <see cref="ITransferObserver"/> about every chunk read from or written to it and otherwise passes
/// everything to the stream it wraps. YARP copies bodies and upgraded connections between streams it takes from the
/// <see cref="HttpContext"/>; wrapping those is how the gateway sees each response chunk and WebSocket frame.
/// </summary>
internal sealed class ObservedStream(Stream inner, ITransferObserver observer) : Stream
{
    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var reading = inner.ReadAsync(buffer, cancellationToken);
        if (buffer.IsEmpty)
        {
            // YARP waits for data with an empty read before it rents a buffer: nothing moved yet.
            return reading;
        }
        if (reading.IsCompletedSuccessfully)
        {
            // The usual case after that wait: the data is there, and no state machine is needed to note it.
            return new ValueTask<int>(Observed(buffer.Span, reading.Result));
        }
        return ObserveAsync(buffer, reading);
    }

    private async ValueTask<int> ObserveAsync(Memory<byte> buffer, ValueTask<int> reading)
    {
        int read = await reading.ConfigureAwait(false);
        return Observed(buffer.Span, read);
    }

    private int Observed(ReadOnlySpan<byte> buffer, int read)
    {
        if (read > 0)
        {
            observer.Read(buffer[..read]);
        }
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Observed(buffer.AsSpan(offset), inner.Read(buffer, offset, count));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        observer.Written(buffer.Length);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        observer.Written(count);
        inner.Write(buffer, offset, count);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>What an <see cref="ObservedStream"/> reports to.</summary>
internal interface ITransferObserver
{
    /// <summary>These bytes were read from the stream (from the client).</summary>
    void Read(ReadOnlySpan<byte> data);

    /// <summary>A chunk of <paramref name="bytes"/> bytes was written to the stream (to the client).</summary>
    void Written(int bytes);
}
