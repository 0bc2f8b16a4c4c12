// Writes the model card of models/myna-translate-en-zh (issue 17) through Myna's ModelCard: the training card that
// `myna export` carried over, with the translation's title, summary, data, splits, evaluation against the baselines
// (and their p-values), how to use it, and its limits; BLEU, chrF and chrF++ on test and dev go into the Evaluations
// table. Run by recipes/translate.sh:
//   dotnet run recipes/apps/translate-card.cs -- MODEL_FOLDER WORK_FOLDER OTHER_SECONDS
// OTHER_SECONDS: the recipe's time outside training (prepare, shard, export, evaluation); training's own time comes
// from the trainer state, so a resumed run reports the sum of its sessions.
// It reads WORK/corpus/report.json, WORK/eval-dev.json, WORK/eval-test.json and WORK/run/last/trainer_state.json.
#:project ../../src/Myna.Models/Myna.Models.csproj

using System.Globalization;
using System.Text;
using System.Text.Json;
using Myna.Models.Checkpoints;

if (args.Length != 3) { Console.Error.WriteLine("usage: translate-card.cs MODEL_FOLDER WORK_FOLDER SECONDS"); return 2; }
string model = args[0], work = args[1];
double seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
JsonElement prepare = Read(Path.Combine(work, "corpus", "report.json"));
JsonElement dev = Read(Path.Combine(work, "eval-dev.json"));
JsonElement test = Read(Path.Combine(work, "eval-test.json"));
JsonElement state = Read(Path.Combine(work, "run", "last", "trainer_state.json"));
JsonElement splits = prepare.GetProperty("splits");
double trainSeconds = state.GetProperty("elapsed_seconds").GetDouble();
long tokensSeen = state.GetProperty("tokens_seen").GetInt64();
bool met = test.GetProperty("target_met").GetBoolean();
// The trainer's report names the parameter count ("17.0M parameters"), whatever the base model is.
string parameters = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(Path.Combine(work, "run", "report.md")), @"([0-9.]+[MK]) parameters").Groups[1].Value;
DateTimeOffset now = DateTimeOffset.UtcNow;

ModelCard card = ModelDirectory.LoadCard(model);
card.Title = "Myna translate en→zh";
card.Summary =
    $"English → Simplified Chinese translation by a {parameters}-parameter GPT-2-architecture model: `models/myna-default` fine-tuned with " +
    $"Myna's own pipeline (`recipes/translate.sh`) on {Int(prepare, "kept"):N0} Debian Reference and LibreOffice pairs laid out as " +
    "`English: …\\nChinese: …<|endoftext|>`, decoded greedily. On 2 CPU cores shared with other jobs, training took " +
    $"{Duration(trainSeconds)} ({tokensSeen:N0} tokens at {tokensSeen / trainSeconds:N0} tokens/s) and the recipe's other steps (prepare, shard, " +
    $"export, evaluation on dev and test) {Duration(seconds)}; a quiet 2-core machine trains at ≈ 2,200 tokens/s, about 6-7 minutes for the same steps.";
card.Metadata["pipeline_tag"] = "translation";
card.AddMetadataItem("language", "en");
card.AddMetadataItem("language", "zh");
card.AddMetadataItem("tags", "translation");
card.Metadata["base_model"] = "myna-default";

card.SetSection("Parallel text", string.Join('\n',
    "| source | pairs | licence |",
    "|---|---|---|",
    $"| Debian Reference 2.100 (`debian-reference-en` / `-zh-cn`), paragraphs | {Int(splits, "reference_pairs"):N0} | GPL-2+ |",
    $"| Debian FAQ 11.1 (`debian-faq` / `-zh-cn`), paragraphs | {Int(splits, "faq_pairs"):N0} | SPI notice (verbatim and modified copies with the notice) |",
    $"| LibreOffice 7.4 UI messages (`libreoffice-l10n-zh-cn`) | {Int(splits, "libreoffice_pairs"):N0} | MPL-2.0 |",
    "",
    "Extraction: `recipes/apps-data.sh translate`, described in `data/apps/SOURCES.md`. Splits (`myna translate prepare`):",
    "",
    $"- test: the {Int(splits, "test")} FAQ pairs of at most 60 English words ({Int(splits, "faq_too_long")} longer ones unused, {Int(splits, "test_near_duplicates")} near-duplicates removed);",
    $"- dev: {Int(splits, "dev")} Reference pairs of at most 60 words drawn by a seeded hash of their ids ({Int(splits, "dev_near_duplicates")} near-duplicate of test removed);",
    $"- train: {Int(splits, "train_reference"):N0} Reference pairs and {Int(splits, "train_libreoffice"):N0} LibreOffice messages of at least 4 words without placeholders " +
    $"({Int(splits, "libreoffice_too_short"):N0} shorter and {Int(splits, "libreoffice_placeholders")} with placeholders left out; " +
    $"{Int(splits, "train_reference_near_duplicates")} + {Int(splits, "train_libreoffice_near_duplicates"):N0} near-duplicates of test, dev or earlier training pairs removed, " +
    "MinHash Jaccard ≥ 0.8 over 5-word shingles of the English);",
    $"- fine-tuning: {Int(prepare, "kept"):N0} of {Int(prepare, "train_pairs"):N0} training pairs fit n_ctx {Int(prepare, "n_ctx")} with their end-of-text tokens ({Int(prepare, "too_long")} too long)."),
    before: "Training data");

var evaluation = new StringBuilder();
evaluation.AppendLine("`myna translate eval` (greedy decoding; BLEU with sacreBLEU's `zh` tokenizer, chrF and chrF++ as sacreBLEU 2.6.0; " +
    "p-values from sacreBLEU's paired bootstrap, 1,000 resamples, of the model against each baseline):");
evaluation.AppendLine();
evaluation.AppendLine("| split | metric | model | translation memory | copy source | p vs memory | p vs copy |");
evaluation.AppendLine("|---|---|---|---|---|---|---|");
foreach ((string name, JsonElement report) in new[] { ("test", test), ("dev", dev) })
{
    foreach (JsonElement metric in report.GetProperty("metrics").EnumerateArray())
    {
        JsonElement scores = metric.GetProperty("scores"), p = metric.GetProperty("p_values");
        evaluation.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} ({report.GetProperty("segments").GetInt32()}) | {metric.GetProperty("metric").GetString()} | {scores.GetProperty("model").GetDouble():F2} | " +
            $"{scores.GetProperty("translation-memory").GetDouble():F2} | {scores.GetProperty("copy-source").GetDouble():F2} | " +
            $"{p.GetProperty("translation-memory").GetDouble():F4} | {p.GetProperty("copy-source").GetDouble():F4} |"));
        card.RecordEvaluation(new EvaluationRecord(metric.GetProperty("metric").GetString()!, $"translate {name}", metric.GetProperty("scores").GetProperty("model").GetDouble(),
            metric.GetProperty("signature").GetString()!), now);
    }
}
evaluation.AppendLine();
evaluation.AppendLine($"Issue 17's target (beat the translation memory by ≥ 3 BLEU and ≥ 3 chrF on test, p < 0.05): **{(met ? "met" : "not met")}**. " +
    "For scale: Helsinki-NLP opus-mt-en-zh, a Marian model trained on millions of OPUS pairs, scores BLEU 31.4 and chrF 0.268 (26.8 on this scale) " +
    "on Tatoeba eng→zho, another test set: a ceiling, not a peer.");
card.SetSection("Translation quality", evaluation.ToString().TrimEnd(), before: "Training data");

card.SetSection("How to use", string.Join('\n',
    "```",
    "myna translate --text \"Debian is a free operating system.\" --json",
    "myna translate --input sentences.en.txt --output sentences.zh.txt",
    "myna translate eval --json",
    "curl -s localhost:8080/v1/apps/translate -d '{\"text\":\"Debian is a free operating system.\",\"source\":\"en\",\"target\":\"zh-CN\"}'",
    "```"), before: "Training data");
card.SetSection("Intended use",
    "Demonstrating and testing Myna's translation scenario end to end (data, fine-tuning, baselines, significance) on two CPU cores. " +
    "Not a translation system for real use.");
card.SetSection("Limitations", string.Join('\n',
    $"- A {parameters}-parameter model whose pre-training English is the King James Bible alone (its Chinese: Debian manuals, LibreOffice help, classical poems), fine-tuned on under a million " +
    "tokens of Debian documentation and LibreOffice menus: it copies the register of those sources, repeats, invents terms and drops content.",
    "- Greedy decoding of one line; inputs longer than the 256-token context (with the prompt) are refused.",
    "- English → Simplified Chinese only. No safety tuning; outputs must not be relied upon."));
ModelDirectory.SaveCard(model, card);
Console.WriteLine($"{model}/{ModelCard.FileName} written");
foreach (JsonElement metric in dev.GetProperty("metrics").EnumerateArray())
{
    JsonElement scores = metric.GetProperty("scores");
    double ours = scores.GetProperty("model").GetDouble(), memory = scores.GetProperty("translation-memory").GetDouble();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"dev {metric.GetProperty("metric").GetString()}: model {ours:F2}, translation memory {memory:F2} → {(ours > memory ? "beats it" : "does not beat it")}"));
}
return 0;

static JsonElement Read(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();

static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();

static string Duration(double seconds) => TimeSpan.FromSeconds(Math.Round(seconds)).ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);
