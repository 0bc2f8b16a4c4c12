using System.IO.Compression;
using System.Xml.Linq;
using Myna.Tests.Cli;
using Myna.Tests.Text;

namespace Myna.Tests;

/// <summary>
/// Every library under src/ packs (warnings are errors there, so NU5100 and NU5104 fail it) with its licence, readme
/// and symbols, from the build these tests were compiled against. The myna tool, the other package that
/// <c>dotnet pack</c> makes, has its own end-to-end test (<see cref="Cli.ToolInstallTests"/>).
/// </summary>
[Collection(DotnetPackCollection.Name)]
public sealed class LibraryPackageTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task Every_library_packs_with_licence_readme_and_symbols()
    {
        using var temp = new TempFolder();
        string root = TempFolder.RepositoryRoot();
        string[] libraries = Directory.GetFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => Path.GetFileNameWithoutExtension(p) != "Myna.Cli")
            .Order(StringComparer.Ordinal)
            .ToArray();
        Assert.NotEmpty(libraries);

        // One MSBuild run packs them all from the existing build (NoBuild), as `dotnet pack` of the solution would.
        string feed = Path.Combine(temp.Path, "feed");
        string traversal = temp.Write("pack.proj", $"""
            <Project>
              <Target Name="Pack">
                <MSBuild Projects="{string.Join(';', libraries)}" Targets="Pack" Properties="Configuration={Configuration};NoBuild=true;PackageOutputPath={feed}/" />
              </Target>
            </Project>
            """);
        await ChildProcess.RunCheckedAsync(ChildProcess.Dotnet, ["msbuild", traversal, "-t:Pack", "-nologo", "-v:minimal"], temp.Path, TimeSpan.FromMinutes(3));

        foreach (string project in libraries)
        {
            string id = Path.GetFileNameWithoutExtension(project);
            string nupkg = Assert.Single(Directory.GetFiles(feed, $"{id}.*.nupkg"));
            Assert.Single(Directory.GetFiles(feed, $"{id}.*.snupkg"));
            using ZipArchive package = ZipFile.OpenRead(nupkg);
            string[] names = package.Entries.Select(e => e.FullName).ToArray();
            Assert.Contains($"lib/net10.0/{id}.dll", names);
            Assert.Contains("README.md", names);
            // A library carries no native files: those belong to the tool and to the peers of tests and benchmarks.
            Assert.DoesNotContain(names, n => n.StartsWith("runtimes/", StringComparison.Ordinal));
            using Stream nuspecStream = package.GetEntry($"{id}.nuspec")!.Open();
            XElement metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
            XElement license = metadata.Elements().Single(e => e.Name.LocalName == "license");
            Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
            Assert.Equal("README.md", metadata.Elements().Single(e => e.Name.LocalName == "readme").Value);
        }

        // The jieba dictionaries ChineseSegmenter loads reach every app that references Myna.Text as a package.
        using ZipArchive text = ZipFile.OpenRead(Assert.Single(Directory.GetFiles(feed, "Myna.Text.*.nupkg")));
        Assert.NotNull(text.GetEntry("contentFiles/any/net10.0/jieba/dict.txt"));
    }
}
