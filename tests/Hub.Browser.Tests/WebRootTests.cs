using Hub.Functions.Pages;
using Hub.Testing;

namespace Hub.Browser.Tests;

/// <summary>Where the control plane finds the pages: beside itself when published, the repository's web/ when built there.</summary>
public sealed class WebRootTests
{
    [Fact]
    public void Locate_PublishedLayout_UsesTheWebFolderBesideTheApp()
    {
        var handler = Directory.CreateTempSubdirectory("hub-handler-");
        try
        {
            Directory.CreateDirectory(Path.Combine(handler.FullName, "web", "pages"));

            var root = WebRoot.Locate(handler.FullName);

            Assert.Equal(Path.Combine(handler.FullName, "web"), root.Path);
        }
        finally
        {
            handler.Delete(recursive: true);
        }
    }

    [Fact]
    public void Locate_BuildOutputInTheRepository_UsesTheRepositorysWebFolder()
    {
        var root = WebRoot.Locate(AppContext.BaseDirectory);

        Assert.Equal(RepositoryPaths.InRoot("web"), root.Path);
        Assert.True(root.Files.GetFileInfo("pages/home.html").Exists);
    }

    [Fact]
    public void Locate_NoPagesAnywhere_NamesWhereItLooked()
    {
        var elsewhere = Directory.CreateTempSubdirectory("hub-nowhere-");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => WebRoot.Locate(elsewhere.FullName));

            Assert.Contains(Path.Combine(elsewhere.FullName, "web"), error.Message, StringComparison.Ordinal);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    [Fact]
    public void Files_PathLeavingTheFolder_IsNotFound()
    {
        var root = WebRoot.Locate(AppContext.BaseDirectory);

        Assert.False(root.Files.GetFileInfo("../ServerlessHub.slnx").Exists);
    }
}
