using System.Text.Json;
using Myna.Text.Privacy;
using Xunit.Abstractions;

namespace Myna.Tests.Text.Privacy;

public class PiiRedactorTests(ITestOutputHelper output)
{
    private static readonly PiiRedactor Redactor = new();

    /// <summary>Entity-level precision and recall on the labelled set (242 snippets, English and Chinese, made by
    /// make_pii_labelled.py beside this file). The rules were developed against this set, so it measures what they were
    /// built to do; <see cref="HeldOutPrecisionAndRecall"/> is the honest figure.</summary>
    [Fact]
    public void LabelledSetPrecisionAndRecall()
    {
        (double precision, double recall, int snippets) = Score("pii_labelled.jsonl");
        Assert.True(snippets >= 200);
        Assert.True(precision >= 0.97, $"precision {precision:P1}");
        Assert.True(recall >= 0.97, $"recall {recall:P1}");
    }

    /// <summary>50 snippets written after the rules were fixed, and not tuned against.</summary>
    [Fact]
    public void HeldOutPrecisionAndRecall()
    {
        (double precision, double recall, _) = Score("pii_heldout.jsonl");
        Assert.True(precision >= 0.9, $"precision {precision:P1}");
        Assert.True(recall >= 0.9, $"recall {recall:P1}");
    }

    /// <summary>A prediction counts as correct when type and exact text match a label.</summary>
    private (double Precision, double Recall, int Snippets) Score(string file)
    {
        string path = TempFolder.Committed(Path.Combine("Text", "Privacy", file));
        int snippets = 0, truePositives = 0, falsePositives = 0, falseNegatives = 0;
        var perType = PiiTypes.All.ToDictionary(t => t, _ => (Tp: 0, Fp: 0, Fn: 0));
        var errors = new List<string>();
        foreach (string line in File.ReadLines(path))
        {
            snippets++;
            using var json = JsonDocument.Parse(line);
            string text = json.RootElement.GetProperty("text").GetString()!;
            var expected = json.RootElement.GetProperty("pii").EnumerateArray()
                .Select(e => (PiiTypes.Parse(e.GetProperty("type").GetString()!), e.GetProperty("value").GetString()!)).ToList();
            RedactionResult result = Redactor.Redact(text);
            foreach (PiiMatch match in result.Matches)
            {
                int index = expected.IndexOf((match.Type, match.Value));
                if (index >= 0)
                {
                    expected.RemoveAt(index);
                    truePositives++;
                    perType[match.Type] = perType[match.Type] with { Tp = perType[match.Type].Tp + 1 };
                }
                else
                {
                    falsePositives++;
                    perType[match.Type] = perType[match.Type] with { Fp = perType[match.Type].Fp + 1 };
                    errors.Add($"FP {match.Type.Name()} '{match.Value}' in: {text}");
                }
            }
            foreach ((PiiType type, string value) in expected)
            {
                falseNegatives++;
                perType[type] = perType[type] with { Fn = perType[type].Fn + 1 };
                errors.Add($"FN {type.Name()} '{value}' in: {text}");
            }
        }

        double precision = (double)truePositives / (truePositives + falsePositives);
        double recall = (double)truePositives / (truePositives + falseNegatives);
        output.WriteLine($"{file}: {snippets} snippets: precision {precision:P1}, recall {recall:P1} (TP {truePositives}, FP {falsePositives}, FN {falseNegatives})");
        foreach (var (type, c) in perType) output.WriteLine($"  {type.Name(),-16} TP {c.Tp,3}  FP {c.Fp,2}  FN {c.Fn,2}");
        foreach (string error in errors) output.WriteLine(error);
        return (precision, recall, snippets);
    }

    /// <summary>False positives found by running prepare over Debian changelogs (/usr/share/doc).</summary>
    [Theory]
    [InlineData("* debian/control: bump Standards-Version to 3.9.6.0.")]
    [InlineData("+ commit 68b59bbc42ba9ec4111111111111111d54a95742f0")]
    [InlineData("Upgrading from 1.2.0.1 or earlier removes the old methods.")]
    [InlineData("llvm-toolchain-10 (1:10~++20200402015712+de4b2a7fad6-1~exp1) experimental")]
    [InlineData("llvm-toolchain-snapshot (1:10~13800138000+6991d5728f1-1~exp1) experimental")]
    public void RealChangelogLinesStay(string line) => Assert.Equal(line, Redactor.Redact(line).Text);

    [Fact]
    public void SmallDottedQuadsAreAddressesWhenTheTextSaysSo()
    {
        Assert.Equal("DNS server <IP> answered.", Redactor.Redact("DNS server 8.8.8.8 answered.").Text);
        Assert.Equal("ssh root@<IP>", Redactor.Redact("ssh root@10.0.0.5").Text);
    }

    [Fact]
    public void PlaceholdersAreTyped()
    {
        RedactionResult result = Redactor.Redact("Mail bob@example.com or call +1 (415) 555-0132 from 10.0.0.7.");
        Assert.Equal("Mail <EMAIL> or call <PHONE> from <IP>.", result.Text);
        Assert.Equal([PiiType.Email, PiiType.Phone, PiiType.Ip], result.Matches.Select(m => m.Type));
    }

    [Fact]
    public void ChineseIdNeedsAValidChecksum()
    {
        Assert.True(PiiRedactor.IsValidCnId("11010519491231002X"));
        Assert.False(PiiRedactor.IsValidCnId("110105194912310021"));
        Assert.Equal("身份证<CN_ID>。", Redactor.Redact("身份证11010519491231002X。").Text);
    }

    [Fact]
    public void CardsNeedLuhn()
    {
        Assert.True(PiiRedactor.Luhn("4111111111111111"));
        Assert.False(PiiRedactor.Luhn("4111111111111112"));
        Assert.Equal("card <CARD> ok", Redactor.Redact("card 4111 1111 1111 1111 ok").Text);
        Assert.Equal("card 4111 1111 1111 1112 ok", Redactor.Redact("card 4111 1111 1111 1112 ok").Text);
    }

    [Fact]
    public void OnlyChosenTypesAreRedacted()
    {
        RedactionResult result = Redactor.Redact("a@b.co 10.0.0.1", [PiiType.Ip]);
        Assert.Equal("a@b.co <IP>", result.Text);
    }

    [Fact]
    public void SecretUrlsGoWholeOrdinaryUrlsStay()
    {
        Assert.Equal("see <URL_CREDENTIALS>.", Redactor.Redact("see https://u:p4ssw0rd@host.example.com/x.").Text);
        Assert.Equal("see <URL_CREDENTIALS>", Redactor.Redact("see https://a.example.com/cb?code=1&access_token=abcdef123456").Text);
        Assert.Equal("hook <URL_CREDENTIALS>", Redactor.Redact("hook https://hooks.slack.com/services/T0ABC1234/B0DEF5678/abcdefGHIJKL1234mnopQRST").Text);
        Assert.Equal("hook <URL_CREDENTIALS>", Redactor.Redact("hook https://discord.com/api/webhooks/123456789012345678/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-").Text);
        const string plain = "see https://example.com/docs?page=2&sort=asc";
        Assert.Equal(plain, Redactor.Redact(plain).Text);
    }
}
