// Writes the fine-tuning text of the support assistant's query-likelihood re-ranker (issue 15): the default model
// fine-tuned on FAQ + Debian Reference text, then kept only if it wins on dev. Run by recipes/support-reranker.sh:
//   dotnet run recipes/apps/support-reranker-corpus.cs -- MODEL_FOLDER OUT.jsonl [REPEATS]
// Documents ({"text"} lines, what `myna shard` reads):
//   - every FAQ entry (data/apps/support/faq.jsonl, both languages) in the re-ranker's own form, "Answer: …\nQuestion:
//     …", the answer cut from its end so the whole document fits the model's context, as QueryLikelihoodReranker cuts
//     it; REPEATS copies (default 4), so these 296 short documents are not drowned by the manual's text;
//   - every FAQ answer in full, under its title (the knowledge base's language, past the context's cut);
//   - every Debian Reference paragraph (data/apps/translate/reference.jsonl), English and Chinese as separate documents.
// Only the knowledge base and the manual: no dev or test question of data/apps/support/questions.jsonl is used.
#:project ../../src/Myna.Apps/Myna.Apps.csproj

using System.Text.Json;
using Myna.Apps.Support;
using Myna.Apps.Translation;
using Myna.Models.Checkpoints;
using Myna.Text.Tokenization;

if (args.Length is < 2 or > 3) { Console.Error.WriteLine("usage: support-reranker-corpus.cs MODEL_FOLDER OUT.jsonl [REPEATS]"); return 2; }
string modelFolder = args[0], output = args[1];
int repeats = args.Length == 3 ? int.Parse(args[2]) : 4;
GptTokenizer tokenizer = ModelDirectory.LoadTokenizer(modelFolder) ?? throw new InvalidOperationException($"{modelFolder} has no tokenizer.");
int context = HfGpt2Config.Read(Path.Combine(modelFolder, HfGpt2Config.FileName)).ContextLength;
// The committed files, found as `myna support` and `myna translate` find them.
FaqKnowledgeBase faq = FaqKnowledgeBase.Load(SupportDataFiles.Resolve(null, SupportDataFiles.FaqPath, "run from the repository"));
IReadOnlyList<TranslationPair> reference = TranslationData.Read(TranslationData.FindFolder(), TranslationData.Reference);

var documents = new List<string>();
int queryLikelihood = 0, cut = 0;
foreach (FaqEntry entry in faq.Entries)
{
    string question = entry.Question.Trim(), answer = entry.Answer.Trim();
    // The re-ranker's form: "Answer: " + answer, then "\nQuestion: " + question; one token is left for <|endoftext|>.
    int[] questionIds = tokenizer.Encode("\nQuestion: " + question);
    int[] answerIds = tokenizer.Encode("Answer: " + answer);
    int room = context - 1 - questionIds.Length;
    string answerPart = answerIds.Length <= room ? "Answer: " + answer : tokenizer.Decode(answerIds[..room]);
    if (answerIds.Length > room) cut++;
    for (int r = 0; r < repeats; r++) documents.Add(answerPart + "\nQuestion: " + question);
    queryLikelihood++;
    documents.Add(question + "\n" + answer);
}
int paragraphs = 0;
foreach (TranslationPair pair in reference)
{
    foreach (string text in new[] { pair.Source.Trim(), pair.Target.Trim() })
    {
        if (text.Length == 0) continue;
        documents.Add(text);
        paragraphs++;
    }
}
string temporary = output + ".tmp";
using (FileStream stream = File.Create(temporary))
{
    var options = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    foreach (string text in documents)
    {
        using (var writer = new Utf8JsonWriter(stream, options))
        {
            writer.WriteStartObject();
            writer.WriteString("text", text);
            writer.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }
}
File.Move(temporary, output, overwrite: true);
Console.WriteLine($"{output}: {documents.Count} documents: {queryLikelihood} FAQ entries in the re-ranker's form × {repeats} ({cut} answers cut to fit n_ctx {context}), " +
    $"{queryLikelihood} FAQ answers in full, {paragraphs} Debian Reference paragraphs");
return 0;
