using System.Security.Cryptography;
using System.Text;
using Hub.Testing.Specs;

namespace Hub.Repository.Tests.Specs;

/// <summary>
/// The order in which the tests look for the published specs, tried on a temporary repository layout
/// (workplace/repo, with or without workplace/shared/specs) without touching the process's environment.
/// </summary>
public sealed class SpecsFolderResolverTests : IDisposable
{
    private readonly string _workplace = Directory.CreateTempSubdirectory("specs-resolver-").FullName;

    private string Repository => Directory.CreateDirectory(Path.Combine(_workplace, "repo")).FullName;

    private string Beside => Path.Combine(_workplace, "shared", "specs");

    private string DefaultCache => Path.Combine(Repository, ".hub-data", "specs");

    [Fact]
    public void HubSpecsDir_WinsOverTheSharedFolderAndTheCache()
    {
        string named = Directory.CreateDirectory(Path.Combine(_workplace, "named")).FullName;
        Directory.CreateDirectory(Beside);
        Directory.CreateDirectory(DefaultCache);

        var folder = SpecsFolderResolver.Resolve(named, null, Repository).FolderOrThrow();

        Assert.Equal(new SpecsFolder(named, SpecsOrigin.SpecsDirVariable), folder);
    }

    [Fact]
    public void HubSpecsDir_Relative_IsTakenFromTheRepositoryRoot()
    {
        string named = Directory.CreateDirectory(Path.Combine(Repository, "my-specs")).FullName;

        var folder = SpecsFolderResolver.Resolve("my-specs", null, Repository).FolderOrThrow();

        Assert.Equal(named, folder.Path);
    }

    [Fact]
    public void HubSpecsDir_NotAFolder_IsAnErrorNamingIt_NotAFallBack()
    {
        Directory.CreateDirectory(Beside);
        string named = Path.Combine(_workplace, "missing");

        var resolution = SpecsFolderResolver.Resolve(named, null, Repository);

        Assert.Null(resolution.Folder);
        Assert.Contains($"HUB_SPECS_DIR names {named}", resolution.ProblemMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void SharedSpecsBesideTheRepository_WinsOverTheCache()
    {
        Directory.CreateDirectory(Beside);
        Directory.CreateDirectory(DefaultCache);

        var folder = SpecsFolderResolver.Resolve(null, null, Repository).FolderOrThrow();

        Assert.Equal(new SpecsFolder(Beside, SpecsOrigin.BesideRepository), folder);
    }

    [Fact]
    public void NothingElse_TheDefaultCacheInTheRepository()
    {
        Directory.CreateDirectory(DefaultCache);

        var folder = SpecsFolderResolver.Resolve("", null, Repository).FolderOrThrow();

        Assert.Equal(new SpecsFolder(DefaultCache, SpecsOrigin.Cache), folder);
    }

    [Fact]
    public void HubSpecsCache_MovesTheCache()
    {
        string cache = Directory.CreateDirectory(Path.Combine(_workplace, "elsewhere")).FullName;

        var folder = SpecsFolderResolver.Resolve(null, cache, Repository).FolderOrThrow();

        Assert.Equal(new SpecsFolder(cache, SpecsOrigin.Cache), folder);
    }

    [Fact]
    public void NoSourceAtAll_FailsWithOneMessageNamingHubSpecsDirAndHubSetup()
    {
        var resolution = SpecsFolderResolver.Resolve(null, null, Repository);

        var error = Assert.Throws<PublishedSpecsUnavailableException>(() => resolution.FolderOrThrow());
        Assert.Contains("HUB_SPECS_DIR", error.Message, StringComparison.Ordinal);
        Assert.Contains("./hub setup", error.Message, StringComparison.Ordinal);
        Assert.Contains(DefaultCache, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileMissingFromTheChosenFolder_FailsNamingTheFileHubSpecsDirAndHubSetup()
    {
        string named = Directory.CreateDirectory(Path.Combine(_workplace, "named")).FullName;
        var folder = SpecsFolderResolver.Resolve(named, null, Repository).FolderOrThrow();

        var error = Assert.Throws<PublishedSpecsUnavailableException>(() => folder.Locate("arm/schemas/common/definitions.json", null).PathOrThrow());

        Assert.Contains("has no arm/schemas/common/definitions.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("HUB_SPECS_DIR", error.Message, StringComparison.Ordinal);
        Assert.Contains("./hub setup", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CachedFileWithAnotherHash_FailsAskingForHubSetup()
    {
        Directory.CreateDirectory(DefaultCache);
        File.WriteAllText(Path.Combine(DefaultCache, "spec.json"), "an older version");
        var folder = SpecsFolderResolver.Resolve(null, null, Repository).FolderOrThrow();

        var lookup = folder.Locate("spec.json", new string('0', 64));

        Assert.Null(lookup.Path);
        Assert.Contains("./hub setup", lookup.ProblemMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void CachedFileWithTheManifestHash_IsFound()
    {
        Directory.CreateDirectory(DefaultCache);
        byte[] bytes = Encoding.UTF8.GetBytes("{}");
        File.WriteAllBytes(Path.Combine(DefaultCache, "spec.json"), bytes);
        var folder = SpecsFolderResolver.Resolve(null, null, Repository).FolderOrThrow();

        string path = folder.Locate("spec.json", Convert.ToHexStringLower(SHA256.HashData(bytes))).PathOrThrow();

        Assert.Equal(Path.Combine(DefaultCache, "spec.json"), path);
    }

    [Fact]
    public void FolderNamedByAPerson_IsNotHeldToTheManifestHash()
    {
        string named = Directory.CreateDirectory(Path.Combine(_workplace, "named")).FullName;
        File.WriteAllText(Path.Combine(named, "spec.json"), "a newer version, on purpose");
        var folder = SpecsFolderResolver.Resolve(named, null, Repository).FolderOrThrow();

        Assert.NotNull(folder.Locate("spec.json", new string('0', 64)).Path);
    }

    public void Dispose() => Directory.Delete(_workplace, recursive: true);
}
