using System.Diagnostics;
using Myna.Text.Corpus;
using Myna.Text.Output;

namespace Myna.Tests.Text.Output;

public class AtomicFileTests
{
    [Fact]
    public void ALinkAtTheTargetIsReplacedAndWhatItPointsToIsLeftAlone()
    {
        using var dir = new TempFolder();
        string victim = dir.Write("victim.txt", "do not touch");
        string target = Path.Combine(dir.Path, "out.json");
        File.CreateSymbolicLink(target, victim);

        AtomicFile.WriteAllText(target, "{}");

        Assert.Equal("do not touch", File.ReadAllText(victim));
        Assert.Equal(FileKind.Regular, FileKinds.Of(target, followLinks: false));
        Assert.Equal("{}", File.ReadAllText(target));
    }

    [Fact]
    public void AFolderOrAPipeAtTheTargetIsRefusedAndStaysWhatItWas()
    {
        if (!OperatingSystem.IsLinux()) return; // FIFOs are made with mkfifo; CI and the supported servers are Linux
        using var dir = new TempFolder();
        string pipe = Path.Combine(dir.Path, "pipe");
        using (Process mkfifo = Process.Start("mkfifo", pipe)!) mkfifo.WaitForExit();
        string folder = Directory.CreateDirectory(Path.Combine(dir.Path, "folder")).FullName;

        Assert.Contains("named pipe", Assert.Throws<IOException>(() => AtomicFile.WriteAllText(pipe, "x")).Message);
        Assert.Contains("is a folder", Assert.Throws<IOException>(() => AtomicFile.Copy(pipe, folder)).Message);
        Assert.Equal(FileKind.Special, FileKinds.Of(pipe, followLinks: false));
        Assert.Equal(FileKind.Directory, FileKinds.Of(folder, followLinks: false));
        Assert.Equal(["folder", "pipe"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ACopyHoldsTheSourceBytes()
    {
        using var dir = new TempFolder();
        byte[] bytes = [0, 1, 2, 255, 10, 13];
        string source = Path.Combine(dir.Path, "a.bin");
        AtomicFile.WriteAllBytes(source, bytes);
        string target = Path.Combine(dir.Path, "sub", "b.bin");

        AtomicFile.Copy(source, target);

        Assert.Equal(bytes, File.ReadAllBytes(target));
        Assert.Equal(["a.bin", "sub"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
