using System.CommandLine;
using System.Text;
using System.Text.Json;
using Myna.Evaluation.Perplexity;
using Myna.Models.Perplexity;
using Myna.Generation;
using Myna.Models.Checkpoints;
using Myna.Text.Shards;
using Spectre.Console;

namespace Myna.Cli.Commands.Eval;

/// <summary><c>myna eval ppl</c>: perplexity and bits per byte of a model on a text or on token shards.</summary>
internal static class EvalPplCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = $"Model directory. Default: {ModelLocator.DefaultModelPath}." };
        Option<bool> allowNonFinite = ModelLocator.CreateAllowNonFiniteOption();
        var data = new Option<string>("--data") { Description = "A UTF-8 text file, or a shard directory from `myna shard` (its validation split).", Required = true };
        var stride = new Option<int?>("--stride") { Description = "Tokens the window advances by (default: half the window)." };
        var window = new Option<int?>("--window") { Description = "Window length in tokens (default and maximum: the model's context)." };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Score only the first N tokens." };
        Option<string> dtype = ModelLocator.CreateDtypeOption();
        Option<bool> updateCard = CardUpdate.Flag();
        var json = new Option<bool>("--json") { Description = "Print one JSON object: {\"perplexity\",\"loss\",\"bits_per_byte\",\"tokens\",\"bytes\",\"window\",\"stride\"}." };
        var command = new Command("ppl",
            "Perplexity (and bits per byte) of a model on held-out text, with a strided sliding window as in Hugging Face's perplexity guide.\n\n" +
            "Examples:\n  myna eval ppl --data data/corpus/en/kjv.txt --max-tokens 20000\n  myna eval ppl --model runs/m --data work/shards --stride 128 --json")
        {
            model, allowNonFinite, data, stride, window, maxTokens, dtype, json, updateCard,
        };
        command.SetAction((parsed, cancellation) =>
        {
            GptLanguageModel lm = ModelLocator.Load(parsed.GetValue(model), parsed.GetValue(dtype), parsed.GetValue(allowNonFinite), parsed.InvocationConfiguration.Error);
            if (lm.Tokenizer is null) throw new CliException("the model directory has no tokenizer files.");
            int[] tokens = ReadTokens(parsed.GetValue(data)!, lm);
            if (tokens.Length < 2)
                throw new CliException($"'{parsed.GetValue(data)}' holds {tokens.Length} token{(tokens.Length == 1 ? "" : "s")}; perplexity needs at least 2 (one to predict and one before it).");
            if (parsed.GetValue(maxTokens) is { } limit)
            {
                if (limit < 2) throw new CliException("--max-tokens must be at least 2.", MynaApp.UsageError);
                if (tokens.Length > limit) tokens = tokens[..limit];
            }
            long bytes = Encoding.UTF8.GetByteCount(lm.Tokenizer.Decode(tokens.AsSpan(1), skipSpecialTokens: true));
            TextWriter output = parsed.InvocationConfiguration.Output;
            PerplexityResult result;
            try
            {
                result = Run(lm, tokens, parsed.GetValue(stride), parsed.GetValue(window), output, cancellation) with { Bytes = bytes };
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message, MynaApp.UsageError);
            }

            if (parsed.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    perplexity = result.Perplexity,
                    loss = result.MeanLoss,
                    bits_per_byte = result.BitsPerByte,
                    tokens = result.Tokens,
                    bytes = result.Bytes,
                    window = result.ContextLength,
                    stride = result.Stride,
                    dtype = ModelLocator.DtypeName(lm.Precision),
                }));
            }
            else
            {
                IAnsiConsole console = Terminal.For(output);
                var table = new Table().Border(TableBorder.Rounded).AddColumns("perplexity", "loss (nats/token)", "bits/byte", "tokens", "window / stride");
                table.AddRow($"{result.Perplexity:F3}", $"{result.MeanLoss:F4}", $"{result.BitsPerByte:F4}", $"{result.Tokens:N0}", $"{result.ContextLength} / {result.Stride}");
                console.Write(table);
            }
            // After the score is printed: a card that cannot be written must not hide it.
            CardUpdate.RecordIfAsked(parsed, updateCard, ModelLocator.Resolve(parsed.GetValue(model)), new EvaluationRecord(
                $"perplexity ({ModelLocator.DtypeName(lm.Precision)})", Path.GetFileName(Path.GetFullPath(parsed.GetValue(data)!).TrimEnd('/')),
                result.Perplexity, $"{result.Tokens} tokens, window {result.ContextLength}, stride {result.Stride}, {result.BitsPerByte:F4} bits/byte"));
            return Task.FromResult(MynaApp.Success);
        });
        return command;
    }

    private static PerplexityResult Run(GptLanguageModel lm, int[] tokens, int? stride, int? window, TextWriter output, CancellationToken cancellation)
    {
        return Terminal.WithProgress(output, $"scoring {tokens.Length:N0} tokens", 1.0, report =>
            PerplexityEvaluator.Evaluate(lm, tokens, stride, window, report is null ? null : new Progress<double>(report), cancellation));
    }

    /// <summary>The tokens of <paramref name="path"/>: a shard directory's held-out split (tokenizer checked) or a UTF-8 text file, encoded.</summary>
    internal static int[] ReadTokens(string path, GptLanguageModel lm)
    {
        if (Directory.Exists(path))
        {
            (ShardMeta info, int[] tokens) = HeldOutShards.Read(path);
            if (info.Tokenizer.Fingerprint != lm.Tokenizer!.Fingerprint)
                throw new CliException($"the shards in '{path}' were made with tokenizer {info.Tokenizer.Fingerprint[..12]}…, the model uses {lm.Tokenizer.Fingerprint[..12]}…; their ids mean different text.");
            return tokens;
        }
        if (!File.Exists(path)) throw new CliException($"--data '{path}' does not exist.");
        string text = Utf8Text.Decode(File.ReadAllBytes(path), replaceInvalid: false, path);
        return lm.Tokenizer!.Encode(text);
    }
}
