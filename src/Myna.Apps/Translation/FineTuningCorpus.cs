using System.Text;
using System.Text.Json;
using Myna.Text.Output;
using Myna.Text.Tokenization;

namespace Myna.Apps.Translation;

/// <summary>
/// The fine-tuning documents: one <see cref="TranslationPrompt.Example"/> per training pair whose tokens, with the
/// end-of-text before and after it, fit the model's context, so no example is ever cut by the training window.
/// </summary>
public sealed class FineTuningCorpus
{
    /// <summary>File name of the documents in a prepared folder (one <c>{"text": …}</c> object per line, as <c>myna shard</c> reads).</summary>
    public const string DocumentsFile = "train.jsonl";

    /// <summary>File name of the counts in a prepared folder.</summary>
    public const string ReportFile = "report.json";

    // Chinese stays readable in the files (the relaxed encoder still escapes what JSON requires).
    private static readonly JsonSerializerOptions OneLine = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new(OneLine) { WriteIndented = true };

    private FineTuningCorpus(IReadOnlyList<string> documents, FineTuningReport report)
    {
        Documents = documents;
        Report = report;
    }

    /// <summary>The training documents, in split order.</summary>
    public IReadOnlyList<string> Documents { get; }

    /// <summary>The split counts and how many pairs fit.</summary>
    public FineTuningReport Report { get; }

    /// <summary>Formats and length-filters the training split with <paramref name="tokenizer"/> for a context of <paramref name="contextLength"/> tokens.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contextLength"/> is below 8.</exception>
    public static FineTuningCorpus Build(TranslationSplits splits, GptTokenizer tokenizer, int contextLength)
    {
        ArgumentNullException.ThrowIfNull(splits);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 8);
        string[] examples = [.. splits.Train.Select(p => TranslationPrompt.Example(p.Source, p.Target))];
        var fits = new bool[examples.Length];
        // Two end-of-text tokens frame each example: the one before it and the one the model learns to end with.
        Parallel.For(0, examples.Length, i => fits[i] = tokenizer.Encode(examples[i]).Length + 2 <= contextLength);
        var documents = new List<string>(examples.Length);
        long characters = 0;
        for (int i = 0; i < examples.Length; i++)
        {
            if (!fits[i]) continue;
            documents.Add(examples[i]);
            characters += examples[i].Length;
        }
        var report = new FineTuningReport
        {
            Splits = splits.Counts,
            ContextLength = contextLength,
            TokenizerFingerprint = tokenizer.Fingerprint,
            TrainPairs = examples.Length,
            Kept = documents.Count,
            TooLong = examples.Length - documents.Count,
            Characters = characters,
        };
        return new FineTuningCorpus(documents, report);
    }

    /// <summary>Writes <see cref="DocumentsFile"/> and <see cref="ReportFile"/> into <paramref name="folder"/>, a folder this
    /// run owns (<see cref="OutputFolder"/>: staged and swapped in; a non-empty one is replaced only with <paramref name="replace"/>).</summary>
    /// <exception cref="IOException">The folder may not be written.</exception>
    public void Save(string folder, IEnumerable<string> inputs, bool replace)
    {
        using OutputFolder output = OutputFolder.Begin(folder, inputs, replace);
        using (var writer = new StreamWriter(Path.Combine(output.Staging, DocumentsFile), false, new UTF8Encoding(false)))
        {
            foreach (string document in Documents)
                writer.Write(JsonSerializer.Serialize(new Dictionary<string, string> { ["text"] = document }, OneLine) + "\n");
        }
        File.WriteAllText(Path.Combine(output.Staging, ReportFile), JsonSerializer.Serialize(Report, Indented) + "\n", new UTF8Encoding(false));
        output.Commit();
    }
}
