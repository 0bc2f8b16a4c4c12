// Writes the default model's card (model_card.md and the Hub's README.md, through Myna's own ModelCard document) from
// what recipes/default-model.sh and recipes/default-model-package.sh measured: the held-out perplexity and bits per
// byte of each language, Chinese's share of the training tokens, the tokenizer's cost per Han character, the training
// run, and greedy and sampled generations in English and Chinese. Run by recipes/default-model-package.sh:
//   dotnet run recipes/default-model/model-card.cs -- WORK OUT
// Every figure is read from the files the recipe wrote; nothing is typed in by hand.
#:project ../../src/Myna.Models/Myna.Models.csproj
#:project ../../src/Myna.Text/Myna.Text.csproj

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Myna.Models.Checkpoints;
using Myna.Text.Cleaning;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run model-card.cs -- WORK OUT");
    return 2;
}
string work = args[0], output = args[1];
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

try
{
    ModelCard card = DefaultModelCard.Create(work, output);
    ModelDirectory.SaveCard(output, card);
    Console.Error.WriteLine($"wrote {Path.Combine(output, ModelCard.FileName)} and {ModelCard.HubFileName}");
    return 0;
}
catch (Exception ex) when (ex is IOException or InvalidDataException or JsonException or KeyNotFoundException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    return 1;
}

/// <summary>The default model's card, from the recipe's measurements.</summary>
static class DefaultModelCard
{
    /// <summary>Held-out parts in the order the card lists them, with how the card names them.</summary>
    private static readonly (string File, string Language, string Text)[] HeldOutParts =
    [
        ("en", "English", "King James Version chapters"),
        ("zh", "Chinese", "modern prose and poems together"),
        ("zh-modern", "Chinese", "modern prose: Debian manuals, LibreOffice help"),
        ("zh-poems", "Chinese", "Tang and Song poems"),
        ("shards", "both", "`en.txt` and `zh.txt` as token shards, an end-of-text token before each document: what `myna quickstart` and `myna bench ppl` report"),
    ];

    public static ModelCard Create(string work, string output)
    {
        JsonElement config = ReadJson(Path.Combine(output, "config.json"));
        JsonElement shards = ReadJson(Path.Combine(work, "shards", "meta.json"));
        JsonElement state = ReadJson(Path.Combine(work, "run", "last", "trainer_state.json"));
        long englishTokens = ReadJson(Path.Combine(work, "count-en", "meta.json")).GetProperty("train").GetProperty("tokens").GetInt64();
        long chineseTokens = ReadJson(Path.Combine(work, "count-zh", "meta.json")).GetProperty("train").GetProperty("tokens").GetInt64();
        JsonElement prepareEn = ReadJson(Path.Combine(work, "clean-en", "report.json"));
        JsonElement prepareZh = ReadJson(Path.Combine(work, "clean-zh", "report.json"));
        string report = File.ReadAllText(Path.Combine(work, "run", "report.md"));
        string parameters = Regex.Match(report, @"([0-9.]+[MK]) parameters").Groups[1].Value;
        string wallTime = Regex.Match(report, @"wall time \| ([0-9:]+)").Groups[1].Value;
        string throughput = Regex.Match(report, @"throughput[^|]*\| ([^|\n]+?) \|").Groups[1].Value;

        // The exported card holds the trainer's sections (procedure, final validation): keep them as written.
        ModelCard trained = ModelDirectory.LoadCard(output);
        var card = new ModelCard { Title = "Myna default model" };
        foreach ((string key, object value) in trained.Metadata) card.Metadata[key] = value;
        card.AddHubDefaults();
        card.Metadata["license"] = "other";
        card.Metadata["language"] = new List<string> { "en", "zh" };
        card.AddMetadataItem("metrics", "perplexity");
        card.AddMetadataItem("tags", "bilingual");

        int layers = config.GetProperty("n_layer").GetInt32(), width = config.GetProperty("n_embd").GetInt32();
        int heads = config.GetProperty("n_head").GetInt32(), context = config.GetProperty("n_positions").GetInt32();
        int vocabulary = config.GetProperty("vocab_size").GetInt32();
        double chineseShare = (double)chineseTokens / (englishTokens + chineseTokens);
        card.Summary =
            "A small bilingual (English and Chinese) GPT-2-architecture language model trained by Myna's own pipeline " +
            "(`recipes/default-model.sh`) on public-domain and free-licence text from Debian packages, shipped so that " +
            "`myna quickstart`, `myna generate` and `myna chat` work on a fresh machine with no downloads.";

        string today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        card.SetSection("Facts", string.Join('\n',
            $"- shape: {layers} layers, {width} channels, {heads} heads, context {context}, vocabulary {vocabulary}",
            $"- parameters: {parameters}",
            "- weights: float16 safetensors (trained in float32)",
            $"- tokenizer fingerprint: `{shards.GetProperty("tokenizer").GetProperty("fingerprint").GetString()}` (byte-level BPE, see Tokenizer)",
            $"- languages: English ({Percent(1 - chineseShare)} of the training tokens) and Chinese ({Percent(chineseShare)})",
            $"- card written {today}"));

        card.SetSection("Held-out evaluation", HeldOutSection(work, context));
        card.SetSection("Training data", DataSection(shards, englishTokens, chineseTokens, prepareEn, prepareZh));
        card.SetSection("Tokenizer", TokenizerSection(work, vocabulary));

        string procedure = trained.Section("Training procedure") ?? "";
        card.SetSection("Training procedure", procedure +
            $"\n\n{state.GetProperty("step").GetInt32():N0} steps, {state.GetProperty("tokens_seen").GetInt64():N0} tokens seen, " +
            $"wall time {wallTime} (h:m:s) on 2 CPU cores ({throughput}). The shipped weights are the checkpoint with the lowest " +
            "validation loss (`run/best`). Loss curve: `loss.png`; full report: `training_report.md`.");
        foreach (string heading in trained.Headings.Where(h => h.StartsWith("Results", StringComparison.Ordinal)))
            card.SetSection(heading.Replace("Results", "Validation at the end of training", StringComparison.Ordinal),
                "On the 2% validation split of the training shards (not the held-out text above), float32:\n\n" +
                // A row the trainer could not fill for the best checkpoint (its held-out perplexity comes at the end of the run, on the last one) is left out: the held-out figures are above.
                string.Join('\n', (trained.Section(heading) ?? "").Split('\n').Where(line => !line.EndsWith("| — |", StringComparison.Ordinal))));

        card.SetSection("Sample generations", GenerationsSection(work));
        card.SetSection("Intended use",
            "Demonstrating and testing Myna: text continuation in English (in the style of the King James Bible) and in Chinese " +
            "(in the style of technical documentation, and of classical poetry), and a base for fine-tuning experiments " +
            "(`myna train --init-from models/myna-default`).");
        card.SetSection("Limitations and risks", string.Join('\n',
            $"- A {parameters}-parameter model trained for {wallTime} on two CPU cores: fluent-looking but often meaningless text; it knows " +
            "nothing beyond its corpus and must not be used for facts, advice or decisions.",
            "- Its English is 17th-century scripture: prompts in modern registers get continuations in that style.",
            "- Its modern Chinese is the register of software manuals (Debian, LibreOffice); its classical Chinese comes from about 400 poems.",
            "- Tokens are bytes and byte pairs, so the model can emit a byte sequence that is not valid UTF-8; it is shown as U+FFFD (�).",
            "- It reproduces the views and language of its sources, including religious and historical content some readers may " +
            "find objectionable. No safety or instruction tuning."));
        card.SetSection("Licence",
            "`license: other`. The weights were trained on text under several licences: public domain (the King James Version, the " +
            "poems), GPL-3.0-or-later (the fortunes-zh compilation of the poems), GPL-2.0-only and GPL-2.0-or-later (the Debian " +
            "manuals; the Debian Administrator's Handbook alternatively CC-BY-SA-3.0) and MPL-2.0 (LibreOffice's help). Whether " +
            "a model's weights are a derived work of their training text is not settled; the sources, versions and licences are " +
            "listed in `data/corpus/SOURCES.md` of the Myna repository, with each package's copyright file beside the text.");
        return card;
    }

    private static string HeldOutSection(string work, int context)
    {
        var rows = new StringBuilder();
        string dtype = "";
        foreach ((string file, string language, string description) in HeldOutParts)
        {
            JsonElement ppl = ReadJson(Path.Combine(work, "eval", $"ppl-{file}.json"));
            dtype = ppl.GetProperty("dtype").GetString() ?? "";
            rows.AppendLine($"| {language} | `{(file == "shards" ? "heldout/" : file + ".txt")}`: {description} | {ppl.GetProperty("tokens").GetInt64():N0} | " +
                $"{ppl.GetProperty("bytes").GetInt64():N0} | {ppl.GetProperty("perplexity").GetDouble():F2} | {ppl.GetProperty("bits_per_byte").GetDouble():F3} |");
        }
        return "Text no step saw, the tokenizer included: 5% of each source's documents (chapters, poems, manual sections), chosen " +
            "by a hash of their text before anything was trained (`recipes/default-model/split-heldout.cs`), shipped in `heldout/`. " +
            $"Held-out perplexity: the whole file, window {context} tokens (the model's context), stride {context / 2}, on the shipped " +
            $"float16 weights computed in {dtype} (`myna eval ppl --data heldout/PART.txt`). Perplexity is per token, so it depends on " +
            "the tokenizer; bits per byte (of UTF-8 text) compare across tokenizers and languages.\n\n" +
            "| language | held-out text | tokens | bytes | perplexity | bits per byte |\n|---|---|---|---|---|---|\n" + rows;
    }

    /// <summary>A share as a percentage with one decimal, "35.2%".</summary>
    private static string Percent(double share) => (share * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";

    private static string DataSection(JsonElement shards, long englishTokens, long chineseTokens, JsonElement prepareEn, JsonElement prepareZh)
    {
        var text = new StringBuilder();
        text.AppendLine("| source | language | licence |");
        text.AppendLine("|---|---|---|");
        text.AppendLine("| King James Version of the Bible (Debian `bible-kjv-text` 4.38) | English | public domain |");
        text.AppendLine("| 唐诗三百首 and 宋词一百首 (Debian `fortunes-zh` 2.98) | Chinese (classical) | public-domain poems; GPL-3.0+ compilation |");
        text.AppendLine("| The Debian Administrator's Handbook (`debian-handbook` 11.20220922, zh-CN) | Chinese | GPL-2.0+ or CC-BY-SA-3.0 |");
        text.AppendLine("| Debian Reference (`debian-reference-zh-cn` 2.100) | Chinese | GPL-2.0+ |");
        text.AppendLine("| Debian installation guide (`installation-guide-amd64` 20230508+deb12u1, zh_CN) | Chinese | GPL-2.0 |");
        text.AppendLine("| Debian New Maintainers' Guide (`maint-guide-zh-cn` 1.2.53) | Chinese | GPL-2.0+ |");
        text.AppendLine("| Debian Edu bookworm manual (`debian-edu-doc-zh-cn` 2.12.23~deb12u1) | Chinese | GPL-2.0+ |");
        text.AppendLine("| Securing Debian Manual (`harden-doc` 3.19+nmu1, zh-CN) | Chinese | GPL-2.0+ |");
        text.AppendLine("| LibreOffice 7.4 help, all but the Basic reference (`libreoffice-help-zh-cn` 4:7.4.7-1+deb12u14) | Chinese | MPL-2.0 |");
        text.AppendLine();
        text.AppendLine("Details, checksums and the extraction programs: `data/corpus/SOURCES.md`, `recipes/extract-corpus.sh`. The Debian FAQ " +
            "is left out (it is the test set of Myna's support and translation applications); the Debian Reference is also the " +
            "translation application's training text.");
        text.AppendLine();
        text.AppendLine($"Preprocessing (`myna prepare --split paragraphs --dedup exact --no-nfkc`, each language alone): English " +
            $"{Kept(prepareEn)}; Chinese {Kept(prepareZh)}. NFKC is off so that Chinese keeps its full-width punctuation.");
        text.AppendLine();
        long total = englishTokens + chineseTokens;
        text.AppendLine($"Training tokens (the prepared text before the 2% validation split): English {englishTokens:N0}, Chinese " +
            $"{chineseTokens:N0} ({Percent((double)chineseTokens / total)}). Shards: {shards.GetProperty("train").GetProperty("tokens").GetInt64():N0} " +
            $"training tokens ({shards.GetProperty("train").GetProperty("documents").GetInt64():N0} documents), " +
            $"{shards.GetProperty("val").GetProperty("tokens").GetInt64():N0} validation tokens.");
        return text.ToString();
    }

    private static string Kept(JsonElement report)
    {
        var dropped = report.GetProperty("dropped").EnumerateObject().Where(p => p.Value.GetInt64() > 0)
            .Select(p => $"{p.Name} {p.Value.GetInt64()}").ToList();
        return $"{report.GetProperty("documents_kept").GetInt64():N0} of {report.GetProperty("documents_read").GetInt64():N0} documents kept" +
            (dropped.Count > 0 ? $" (dropped: {string.Join(", ", dropped)})" : "");
    }

    private static string TokenizerSection(string work, int vocabulary)
    {
        string heldOut = File.ReadAllText(Path.Combine(work, "split", "heldout", "zh-modern.txt"));
        int han = heldOut.Count(LanguageId.IsHan);
        int tokens = ReadJson(Path.Combine(work, "eval", "tokens-zh-modern.json")).GetProperty("ids").GetArrayLength();
        return $"Byte-level BPE (GPT-2 pre-tokenisation and byte alphabet), {vocabulary:N0} tokens, trained on the prepared training " +
            $"text of both languages. On the held-out modern Chinese ({heldOut.Length:N0} characters, {han:N0} of them Han) it spends " +
            $"{tokens:N0} tokens: {(double)tokens / han:F2} tokens per Han character, counting the tokens of the Latin words and " +
            "punctuation in between.";
    }

    private static string GenerationsSection(string work)
    {
        var text = new StringBuilder();
        text.AppendLine("Greedy decoding, and sampling with temperature 0.8, top-p 0.95, repetition penalty 1.1, seed 42; 60 new tokens " +
            "at most (`myna generate --model models/myna-default --prompt ... [--do-sample ...] --json`). Prompt, then continuation.");
        foreach (string line in File.ReadAllLines(Path.Combine(work, "eval", "generations.tsv")))
        {
            string[] fields = line.Split('\t');
            if (fields.Length != 4) throw new InvalidDataException($"generations.tsv: expected file, language, decoding, prompt: {line}");
            (string file, string language, string mode, string prompt) = (fields[0], fields[1], fields[2], fields[3]);
            JsonElement sequence = ReadJson(Path.Combine(work, "eval", file)).GetProperty("sequences")[0];
            string continuation = sequence.GetProperty("text").GetString() ?? "";
            text.AppendLine();
            text.AppendLine($"{(language == "zh" ? "Chinese" : "English")}, {mode} (finish: {sequence.GetProperty("finish_reason").GetString()}):");
            text.AppendLine();
            text.AppendLine("```text");
            text.AppendLine((prompt + "⟨" + continuation + "⟩").Replace("```", "'''", StringComparison.Ordinal));
            text.AppendLine("```");
        }
        text.AppendLine();
        text.AppendLine("⟨ ⟩ mark the generated text.");
        return text.ToString();
    }

    private static JsonElement ReadJson(string path)
    {
        if (!File.Exists(path)) throw new IOException($"{path} not found: run recipes/default-model.sh (and its package step) first.");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }
}
