namespace MLNetSpatialOmics.Plotting;

/// <summary>Writes a file through a temporary sibling and a rename, so a crash never leaves a half-written image.</summary>
internal static class AtomicFile
{
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("the output path must not be empty.", nameof(path));
        string full = Path.GetFullPath(path);
        string? dir = Path.GetDirectoryName(full);
        if (dir is null || !Directory.Exists(dir))
            throw new DirectoryNotFoundException($"cannot write '{path}': the folder '{dir}' does not exist.");
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
