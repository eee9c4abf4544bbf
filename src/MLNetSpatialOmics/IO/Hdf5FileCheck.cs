using System.Buffers.Binary;

namespace MLNetSpatialOmics.IO;

/// <summary>
/// Checks done on the raw bytes before the HDF5 library sees the file, so that the two commonest bad inputs —
/// a file that is not HDF5 at all and a file cut short by an interrupted copy — get a plain message instead of
/// whatever a parser happens to trip over.
/// </summary>
internal static class Hdf5FileCheck
{
    private static readonly byte[] Signature = { 0x89, (byte)'H', (byte)'D', (byte)'F', 0x0D, 0x0A, 0x1A, 0x0A };

    public static void Check(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found.", path);
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        long length = fs.Length;
        long superblock = FindSignature(fs, length);
        if (superblock < 0)
            throw new H5adFormatException(path, "",
                $"not an HDF5 file (no HDF5 signature at offset 0 or any user-block offset; {length} bytes, starts with {Describe(fs)}). An .h5ad file must be HDF5.");
        long? declaredEnd = ReadEndOfFileAddress(fs, superblock);
        if (declaredEnd is long end && superblock + end > length)
            throw new H5adFormatException(path, "",
                $"the file is truncated: its HDF5 superblock declares {superblock + end} bytes but only {length} are present (an interrupted download or copy?).");
    }

    private static long FindSignature(FileStream fs, long length)
    {
        // The superblock sits at 0 or after a user block of 512·2^k bytes.
        var buf = new byte[8];
        for (long offset = 0; offset + 8 <= length; offset = offset == 0 ? 512 : offset * 2)
        {
            fs.Position = offset;
            if (fs.Read(buf, 0, 8) == 8 && buf.AsSpan().SequenceEqual(Signature)) return offset;
        }
        return -1;
    }

    /// <summary>End-of-file address from superblock versions 0–3; null when the layout is not one we know.</summary>
    private static long? ReadEndOfFileAddress(FileStream fs, long superblock)
    {
        var head = new byte[128];
        fs.Position = superblock;
        int n = fs.Read(head, 0, head.Length);
        if (n < 16) return null;
        int version = head[8];
        int offsetSize, pos;
        if (version is 0 or 1)
        {
            offsetSize = head[13];
            // sig 8, versions 4 (8..11), reserved 1, offset size, length size, reserved 1, leaf K 2, internal K 2, flags 4
            pos = 24 + (version == 1 ? 4 : 0);
            pos += offsetSize * 2; // base address, free-space info address
        }
        else if (version is 2 or 3)
        {
            offsetSize = head[9];
            pos = 12 + offsetSize * 2; // sig 8, version, offset size, length size, flags; base address, extension address
        }
        else return null;
        if (offsetSize is not (2 or 4 or 8) || pos + offsetSize > n) return null;
        ulong end = offsetSize switch
        {
            2 => BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(pos)),
            4 => BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(pos)),
            _ => BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(pos)),
        };
        if (end == ulong.MaxValue || end > long.MaxValue) return null; // "undefined address"
        return (long)end;
    }

    private static string Describe(FileStream fs)
    {
        fs.Position = 0;
        var b = new byte[8];
        int n = fs.Read(b, 0, 8);
        if (n == 0) return "nothing (empty file)";
        var text = new string(b.Take(n).Select(c => c >= 32 && c < 127 ? (char)c : '.').ToArray());
        return $"\"{text}\"";
    }
}
