using System.Text;
using Hub.Core.Store;
using Hub.Gateway.Activity;

namespace Hub.Gateway.Tests.Activity;

/// <summary>The client frame reader on hand-built frames, delivered in every split a network could make.</summary>
public sealed class ClientFrameReaderTests
{
    private static readonly byte[] MaskKey = [0x12, 0x34, 0x56, 0x78];

    /// <summary>One client frame: FIN and opcode, masked payload (RFC 6455 §5.2).</summary>
    private static byte[] Frame(int opcode, ReadOnlySpan<byte> payload, bool final = true, bool masked = true)
    {
        using var frame = new MemoryStream();
        frame.WriteByte((byte)((final ? 0x80 : 0) | opcode));
        byte mask = masked ? (byte)0x80 : (byte)0;
        if (payload.Length < 126)
        {
            frame.WriteByte((byte)(mask | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            frame.WriteByte((byte)(mask | 126));
            frame.WriteByte((byte)(payload.Length >> 8));
            frame.WriteByte((byte)payload.Length);
        }
        else
        {
            frame.WriteByte((byte)(mask | 127));
            var length = new byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            frame.Write(length);
        }
        if (masked)
        {
            frame.Write(MaskKey);
        }
        for (int i = 0; i < payload.Length; i++)
        {
            frame.WriteByte(masked ? (byte)(payload[i] ^ MaskKey[i % 4]) : payload[i]);
        }
        return frame.ToArray();
    }

    private static byte[] Text(string text, bool final = true, int opcode = 1) => Frame(opcode, Encoding.UTF8.GetBytes(text), final);

    private static int ReadInPieces(IMessageInspector inspector, byte[] stream, int piece)
    {
        var reader = new ClientFrameReader(inspector);
        int counted = 0;
        for (int at = 0; at < stream.Length; at += piece)
        {
            counted += reader.Read(stream.AsSpan(at, Math.Min(piece, stream.Length - at)));
        }
        return counted;
    }

    public static TheoryData<int> Pieces => [1, 2, 3, 7, 13, 64, 1000, 1 << 20];

    [Theory]
    [MemberData(nameof(Pieces))]
    public void KernelStream_CountsEachExecuteRequestOnce_WhateverTheSplit(int piece)
    {
        string execute = Tests.Activity.KernelMessages.Json("execute_request", code: new string('y', 70_000));
        byte[] stream =
        [
            .. Text(Tests.Activity.KernelMessages.Json("kernel_info_request")),
            .. Frame(0x9, "ping"u8),
            .. Text(execute[..100], final: false),
            .. Frame(0xA, "pong"u8), // a control frame between fragments
            .. Text(execute[100..], opcode: 0),
            .. Text(Tests.Activity.KernelMessages.Json("execute_request", code: "2")),
            .. Text(Tests.Activity.KernelMessages.Json("shutdown_request")),
            .. Frame(2, [1, 2, 3]), // a binary message with buffers (the default protocol): not read
            .. Text(""),
        ];

        Assert.Equal(2, ReadInPieces(new KernelMessageInspector(v1Protocol: false), stream, piece));
    }

    [Theory]
    [MemberData(nameof(Pieces))]
    public void V1Stream_CountsExecuteRequests(int piece)
    {
        byte[] stream =
        [
            .. Frame(2, Tests.Activity.KernelMessages.V1("kernel_info_request")),
            .. Frame(2, Tests.Activity.KernelMessages.V1("execute_request", code: new string('z', 300))),
            .. Frame(2, [0, 1, 2, 3, 4, 5, 6, 7, 8]), // not a v1 layout
        ];

        Assert.Equal(1, ReadInPieces(new KernelMessageInspector(v1Protocol: true), stream, piece));
    }

    [Theory]
    [MemberData(nameof(Pieces))]
    public void TerminalStream_CountsStdinOnly(int piece)
    {
        byte[] stream =
        [
            .. Text("""["set_size", 24, 80, 600, 800]"""),
            .. Text("""[ "stdin", "x"]"""),
            .. Text("""["stdout", "x"]"""),
            .. Text("""["stdin","\r"]"""),
        ];

        Assert.Equal(2, ReadInPieces(new TerminalInputInspector(), stream, piece));
    }

    [Fact]
    public void UnmaskedFrames_AreReadToo()
    {
        var reader = new ClientFrameReader(new KernelMessageInspector(false));

        Assert.Equal(1, reader.Read(Frame(1, Encoding.UTF8.GetBytes(Tests.Activity.KernelMessages.Json("execute_request")), masked: false)));
        Assert.Equal(ActivityKind.Execute, reader.Kind);
    }

    [Theory]
    [InlineData("""{"header":{"msg_type":"execute_request"}}""", true)]
    [InlineData("""{ "header" : { "msg_id" : "1", "msg_type" : "execute_request" } }""", true)]
    [InlineData("""{"parent_header":{"msg_type":"execute_request"},"header":{"msg_type":"inspect_request"}}""", false)]
    [InlineData("""{"content":{"header":{"msg_type":"execute_request"}},"header":{"msg_type":"comm_msg"}}""", false)]
    [InlineData("""{"header":{"msg_type":"execute_request_not"}}""", false)]
    [InlineData("""{"header":{"msg_type":"execute\u005frequest"}}""", false)]
    [InlineData("""{"header":["msg_type","execute_request"]}""", false)]
    [InlineData("""["header",{"msg_type":"execute_request"}]""", false)]
    [InlineData("not json at all", false)]
    public void JsonScanner_FindsOnlyTheHeadersType(string json, bool execute)
    {
        var scanner = new KernelJsonScanner("execute_request"u8);

        bool? decided = scanner.Feed(Encoding.UTF8.GetBytes(json));

        Assert.Equal(execute, decided ?? false);
    }

    [Fact]
    public void EveryKind_FitsTheRecordersBits() => Assert.InRange(ActivityKinds.Count, 1, ActivityRecorder.KindCapacity);
}
