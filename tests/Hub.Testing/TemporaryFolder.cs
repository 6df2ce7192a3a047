namespace Hub.Testing;

/// <summary>Removes the temporary folders tests make.</summary>
public static class TemporaryFolder
{
    /// <summary>Deletes <paramref name="path"/> with everything in it, if it is there; a file still in use is left to the OS.</summary>
    public static void Delete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a process that is going away; the temp folder is cleaned by the OS eventually.
        }
    }
}
