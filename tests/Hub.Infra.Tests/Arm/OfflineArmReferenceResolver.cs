using NJsonSchema;
using NJsonSchema.References;

namespace Hub.Infra.Tests.Arm;

/// <summary>Resolves the ARM schemas' absolute <c>$ref</c> URLs from the offline copy, never from the network or other files.</summary>
internal sealed class OfflineArmReferenceResolver(JsonSchema root)
    : JsonReferenceResolver(new JsonSchemaAppender(root, new DefaultTypeNameGenerator()))
{
    public override async Task<IJsonReference> ResolveUrlReferenceAsync(string url, CancellationToken cancellationToken) =>
        await ArmSchemas.DocumentAsync(url);

    public override Task<IJsonReference> ResolveFileReferenceAsync(string filePath, CancellationToken cancellationToken) =>
        throw new InvalidOperationException($"The ARM schemas refer to each other by URL only; a reference to the file '{filePath}' is unexpected.");
}
