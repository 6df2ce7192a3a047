using Hub.Core.Store;

namespace Hub.Gateway.Activity;

/// <summary>
/// Reads the messages a client sends on one WebSocket, a piece at a time as frames arrive, and tells which are a
/// person's action. One instance per connection; <see cref="ClientFrameReader"/> calls it in order.
/// </summary>
public interface IMessageInspector
{
    /// <summary>The kind of activity a message that counts is.</summary>
    ActivityKind Kind { get; }

    /// <summary>A new message starts.</summary>
    /// <param name="binary">Its frames are binary (otherwise text).</param>
    void Begin(bool binary);

    /// <summary>The next bytes of the message (unmasked).</summary>
    /// <returns><c>true</c>: it counts; <c>false</c>: it does not; <c>null</c>: not known yet (the end of the message without a decision means it does not).</returns>
    bool? Feed(ReadOnlySpan<byte> payload);
}
