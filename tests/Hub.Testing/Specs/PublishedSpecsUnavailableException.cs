namespace Hub.Testing.Specs;

/// <summary>A test needed a published spec that no source provides; the message says how to provide it.</summary>
public sealed class PublishedSpecsUnavailableException(string message) : Exception(message);
