using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Hub.Functions.Pages;

/// <summary>Serves the HTML pages (<c>web/pages/*.html</c>) and the static files (<c>web/static/…</c>) with <see cref="PageHeaders"/>.</summary>
public sealed class PageFiles(WebRoot root)
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>The file types the pages use; anything else under static/ is not served.</summary>
    private static readonly HashSet<string> ServedExtensions = new(StringComparer.OrdinalIgnoreCase) { ".css", ".js", ".svg", ".png", ".ico", ".woff2" };

    /// <summary>The page <c>web/pages/{name}.html</c>, never cached, with <paramref name="statusCode"/>.</summary>
    public IResult Page(HttpContext context, string name, int statusCode = StatusCodes.Status200OK)
    {
        var file = root.Files.GetFileInfo("pages/" + name + ".html");
        if (!file.Exists || file.PhysicalPath is null)
        {
            throw new InvalidOperationException($"The page web/pages/{name}.html is missing from {root.Path}.");
        }
        PageHeaders.ForPage(context.Response);
        context.Response.StatusCode = statusCode;
        return Results.File(file.PhysicalPath, "text/html; charset=utf-8");
    }

    /// <summary><c>GET /hub/static/{path}</c>: the file with an ETag (304 when unchanged), or a 404.</summary>
    public IResult Static(HttpContext context, string path)
    {
        IFileInfo file = root.Files.GetFileInfo("static/" + path);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null || path.Contains("..", StringComparison.Ordinal)
            || !ServedExtensions.Contains(Path.GetExtension(path)) || !ContentTypes.TryGetContentType(path, out string? contentType))
        {
            return Results.NotFound();
        }
        PageHeaders.ForStaticFile(context.Response);
        var modified = file.LastModified;
        string tag = "\"" + modified.UtcTicks.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "-" + file.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\"";
        if (contentType.StartsWith("text/", StringComparison.Ordinal))
        {
            contentType += "; charset=utf-8";
        }
        return Results.File(file.PhysicalPath, contentType, lastModified: modified, entityTag: new EntityTagHeaderValue(tag));
    }
}
