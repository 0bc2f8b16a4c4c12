using System.Text.Json;

namespace Myna.Tests.Text.Tokenization;

/// <summary>The reference projects' GPT-2 cases (see PeerCases/README.md for provenance).</summary>
public static class PeerCases
{
    public sealed record Case(string Id, string Kind, string Text, int[] Ids, bool SpecialTokens)
    {
        public override string ToString() => Id;
    }

    public static IReadOnlyList<Case> All { get; } = Load();

    public static TheoryData<Case> Encode() => [.. All.Where(c => c.Kind == "encode")];

    public static TheoryData<Case> Decode() => [.. All.Where(c => c.Kind == "decode")];

    private static List<Case> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Text", "Tokenization", "PeerCases", "gpt2_tokenizer_cases.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("cases").EnumerateArray().Select(c => new Case(
            c.GetProperty("id").GetString()!,
            c.GetProperty("kind").GetString()!,
            c.GetProperty("text").GetString()!,
            c.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray(),
            c.TryGetProperty("special_tokens", out JsonElement s) && s.GetBoolean())).ToList();
    }
}
