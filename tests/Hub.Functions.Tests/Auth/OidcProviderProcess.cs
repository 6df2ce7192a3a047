using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hub.Testing;

namespace Hub.Functions.Tests.Auth;

/// <summary>
/// A real OpenID Connect provider (the npm package oidc-provider) on 127.0.0.1 over TLS with a certificate made for
/// the test; <see cref="TrustingHandler"/> trusts exactly that certificate as a root, the way a hub behind a
/// private PKI would be configured.
/// </summary>
public sealed class OidcProviderProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly string _directory;

    private OidcProviderProcess(ChildProcess process, string directory, X509Certificate2 certificate, int port, string? tenant)
    {
        _process = process;
        _directory = directory;
        Certificate = certificate;
        Port = port;
        Tenant = tenant;
    }

    public X509Certificate2 Certificate { get; }

    public int Port { get; }

    public string? Tenant { get; }

    /// <summary>The issuer (for <c>Oidc__Authority</c>) or the Entra-like instance (for <c>Entra__Instance</c>).</summary>
    public Uri Origin => new($"https://127.0.0.1:{Port}");

    public string Output => _process.Output;

    public static async Task<OidcProviderProcess> StartAsync(string clientId, string clientSecret, Uri redirectUri, string? tenant = null, IReadOnlyDictionary<string, string[]>? groups = null, IReadOnlyList<string>? overage = null)
    {
        string directory = Directory.CreateTempSubdirectory("hub-oidc-").FullName;
        var certificate = CreateCertificate();
        string certFile = Path.Combine(directory, "cert.pem");
        string keyFile = Path.Combine(directory, "key.pem");
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());

        var process = ChildProcess.Start("node", [RepositoryPaths.InRoot("tests", "Hub.Functions.Tests", "Auth", "test-oidc-provider.mjs")], RepositoryPaths.Root, new Dictionary<string, string?>
        {
            ["CERT_FILE"] = certFile,
            ["KEY_FILE"] = keyFile,
            ["CLIENT_ID"] = clientId,
            ["CLIENT_SECRET"] = clientSecret,
            ["REDIRECT_URI"] = redirectUri.AbsoluteUri,
            ["TENANT"] = tenant ?? "",
            ["GROUPS"] = JsonSerializer.Serialize(groups ?? new Dictionary<string, string[]>()),
            ["OVERAGE"] = JsonSerializer.Serialize(overage ?? []),
            ["NODE_ENV"] = "test",
        });
        var match = await process.WaitForLineAsync(@"listening on (\d+)", TimeSpan.FromSeconds(30));
        return new OidcProviderProcess(process, directory, certificate, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), tenant);
    }

    /// <summary>An HTTP handler that trusts the provider's certificate as its only root (and the system's roots otherwise not at all).</summary>
    public SocketsHttpHandler TrustingHandler(Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    CustomTrustStore = { Certificate },
                    RevocationMode = X509RevocationMode.NoCheck,
                },
            },
        };
        if (connect is not null)
        {
            handler.ConnectCallback = connect;
        }
        return handler;
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddHours(2));
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Certificate.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort; the folder is in the temp directory.
        }
    }
}
