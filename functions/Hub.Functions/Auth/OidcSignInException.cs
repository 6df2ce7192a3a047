namespace Hub.Functions.Auth;

/// <summary>A sign-in through the identity provider failed; the message is fit to show to the person signing in.</summary>
public sealed class OidcSignInException(string message, Exception? inner = null) : Exception(message, inner);
