using Myna.Apps.Recommendation;

namespace Myna.Tests.Apps.Recommendation;

public sealed class RatingsReaderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("myna-ratings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Reads_ml_latest_small_csv()
    {
        string path = Write("ratings.csv", "userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,1029,3.0,1260759179\n2,10,4.0,835355493\n");
        InteractionLog log = RatingsReader.Read(path);
        Assert.Equal([new Interaction(1, 31, 1260759144), new Interaction(1, 1029, 1260759179), new Interaction(2, 10, 835355493)], log.Interactions);
        Assert.Equal(0, log.DroppedRows);
    }

    [Fact]
    public void Reads_ml_1m_dat_from_its_folder()
    {
        Write("ratings.dat", "1::1193::5::978300760\r\n1::661::3::978302109\r\n");
        InteractionLog log = RatingsReader.Read(_folder);
        Assert.Equal([new Interaction(1, 1193, 978300760), new Interaction(1, 661, 978302109)], log.Interactions);
    }

    [Fact]
    public void A_malformed_row_is_an_error_naming_the_line()
    {
        string path = Write("ratings.csv", "userId,movieId,rating,timestamp\n1,31,2.5,1260759144\n1,abc,3.0,1260759179\n");
        var error = Assert.Throws<InvalidDataException>(() => RatingsReader.Read(path));
        Assert.Contains("line 3", error.Message);
        Assert.Contains("movie id 'abc'", error.Message);
    }

    [Fact]
    public void Dropped_rows_are_counted_with_their_lines()
    {
        string path = Write("ratings.dat", "1::1193::5::978300760\n1::661::3\n2::5::x::1\n2::6::4::978302109\n");
        InteractionLog log = RatingsReader.Read(path, MalformedRows.Drop);
        Assert.Equal(2, log.Interactions.Count);
        Assert.Equal(2, log.DroppedRows);
        Assert.Equal([2L, 3L], log.DroppedLines);
    }

    [Fact]
    public void A_wrong_header_and_a_missing_file_are_refused()
    {
        Assert.Contains("line 1", Assert.Throws<InvalidDataException>(() => RatingsReader.Read(Write("ratings.csv", "a,b,c,d\n1,2,3,4\n"))).Message);
        Assert.Throws<FileNotFoundException>(() => RatingsReader.Read(Path.Combine(_folder, "nope.csv")));
    }

    [Fact]
    public void Movie_titles_are_read_with_csv_quoting()
    {
        string path = Write("movies.csv", "movieId,title,genres\n1,Toy Story (1995),Animation|Comedy\n11,\"American President, The (1995)\",Comedy\n12,\"Say \"\"Hi\"\" (2000)\",Drama\n");
        MovieCatalog catalog = MovieCatalog.ReadCsv(path);
        Assert.Equal("Toy Story (1995)", catalog.TitleOf(1));
        Assert.Equal("American President, The (1995)", catalog.TitleOf(11));
        Assert.Equal("Say \"Hi\" (2000)", catalog.TitleOf(12));
        Assert.Null(catalog.TitleOf(2));
    }
}
