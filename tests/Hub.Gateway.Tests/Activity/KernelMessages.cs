using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Hub.Gateway.Tests.Activity;

/// <summary>Kernel messages as Jupyter's front ends send them on a kernel's channels WebSocket, in both protocols.</summary>
public static class KernelMessages
{
    private static Dictionary<string, object?> Header(string type) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString("N"),
        ["msg_type"] = type,
        ["session"] = "s1",
        ["username"] = "",
        ["date"] = "2026-12-05T10:00:00.000Z",
        ["version"] = "5.3",
    };

    /// <summary>
    /// The default protocol's JSON text, keys in the order JupyterLab writes them: <c>content</c> (a cell's code) before
    /// <c>header</c>; <paramref name="parentType"/> puts a parent header with that type after it.
    /// </summary>
    public static string Json(string type, string code = "", string? parentType = null) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["buffers"] = Array.Empty<object>(),
        ["channel"] = "shell",
        ["content"] = new Dictionary<string, object?> { ["code"] = code, ["silent"] = false, ["nested"] = new { msg_type = "execute_request", header = new { msg_type = "execute_request" } } },
        ["header"] = Header(type),
        ["metadata"] = new Dictionary<string, object?>(),
        ["parent_header"] = parentType is null ? new Dictionary<string, object?>() : Header(parentType),
    });

    /// <summary>
    /// <c>v1.kernel.websocket.jupyter.org</c>: the number of offsets, the offsets (8 bytes each, little-endian), then
    /// channel, header, parent header, metadata and content.
    /// </summary>
    public static byte[] V1(string type, string code = "")
    {
        byte[][] parts =
        [
            Encoding.UTF8.GetBytes("shell"),
            JsonSerializer.SerializeToUtf8Bytes(Header(type)),
            "{}"u8.ToArray(),
            "{}"u8.ToArray(),
            JsonSerializer.SerializeToUtf8Bytes(new { code, silent = false }),
        ];
        int count = parts.Length + 1;
        var message = new byte[8 * (1 + count) + parts.Sum(p => p.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(message, (ulong)count);
        long offset = 8 * (1 + count);
        for (int i = 0; i <= parts.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(message.AsSpan(8 * (1 + i)), (ulong)offset);
            if (i < parts.Length)
            {
                parts[i].CopyTo(message, offset);
                offset += parts[i].Length;
            }
        }
        return message;
    }
}
