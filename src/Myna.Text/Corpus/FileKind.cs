using System.Runtime.InteropServices;

namespace Myna.Text.Corpus;

/// <summary>What a path is on disk, as the folder walk needs to know it before opening anything.</summary>
public enum FileKind
{
    /// <summary>Nothing there (or a link whose target is gone).</summary>
    Missing,
    /// <summary>A regular file: the only kind a corpus reader opens.</summary>
    Regular,
    /// <summary>A folder.</summary>
    Directory,
    /// <summary>A symbolic link (only reported when links are not followed).</summary>
    SymbolicLink,
    /// <summary>A FIFO, socket or device: opening one can block forever or read without end.</summary>
    Special,
}

/// <summary>
/// Tells regular files from FIFOs, sockets and devices, which .NET's <see cref="FileSystemInfo"/> reports alike
/// ("Normal"): a named pipe in an input folder would otherwise hang <c>prepare</c> in <c>open</c>, and /dev/zero
/// would feed it forever. On Unix this asks <c>stat</c>/<c>lstat</c> for the file type bits; on Windows, where those
/// kinds do not appear in folders, the attributes suffice.
/// </summary>
public static partial class FileKinds
{
    private const uint TypeMask = 0xF000, Fifo = 0x1000, CharacterDevice = 0x2000, DirectoryType = 0x4000, BlockDevice = 0x6000,
        RegularType = 0x8000, Link = 0xA000, Socket = 0xC000;

    /// <summary>The kind of <paramref name="path"/>; with <paramref name="followLinks"/> false a link is reported as itself.</summary>
    public static FileKind Of(string path, bool followLinks)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsWindows() || !ModeOffsetKnown) return FromAttributes(path, followLinks);
        uint? mode = StatMode(path, followLinks);
        if (mode is null) return FileKind.Missing;
        return (mode.Value & TypeMask) switch
        {
            RegularType => FileKind.Regular,
            DirectoryType => FileKind.Directory,
            Link => FileKind.SymbolicLink,
            Fifo or CharacterDevice or BlockDevice or Socket => FileKind.Special,
            _ => FileKind.Special,
        };
    }

    /// <summary>A short name for a special file's kind, for skip reasons.</summary>
    public static string Describe(string path)
    {
        uint? mode = OperatingSystem.IsWindows() || !ModeOffsetKnown ? null : StatMode(path, followLinks: true);
        return (mode.GetValueOrDefault() & TypeMask) switch
        {
            Fifo => "a named pipe (FIFO)",
            CharacterDevice => "a character device",
            BlockDevice => "a block device",
            Socket => "a socket",
            _ => "not a regular file",
        };
    }

    private static FileKind FromAttributes(string path, bool followLinks)
    {
        var info = new FileInfo(path);
        if (!info.Exists && !System.IO.Directory.Exists(path)) return info.LinkTarget is null ? FileKind.Missing : (followLinks ? FileKind.Missing : FileKind.SymbolicLink);
        if (!followLinks && info.LinkTarget is not null) return FileKind.SymbolicLink;
        return info.Attributes.HasFlag(FileAttributes.Directory) ? FileKind.Directory : FileKind.Regular;
    }

    // st_mode's place in glibc's struct stat: after st_dev, st_ino and st_nlink (8 bytes each) on x86-64; after
    // st_dev and st_ino on Arm64, where st_mode precedes a 4-byte st_nlink.
    private static readonly int ModeOffset = RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 24,
        Architecture.Arm64 => 16,
        _ => -1,
    };

    private static bool ModeOffsetKnown => ModeOffset >= 0 && OperatingSystem.IsLinux();

    private static unsafe uint? StatMode(string path, bool followLinks)
    {
        // struct stat is 144 bytes on x86-64 and 128 on Arm64; 256 leaves room.
        byte* buffer = stackalloc byte[256];
        int result = followLinks ? Stat(path, buffer) : LinkStat(path, buffer);
        return result == 0 ? *(uint*)(buffer + ModeOffset) : null;
    }

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int Stat(string path, byte* buffer);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int LinkStat(string path, byte* buffer);
}
