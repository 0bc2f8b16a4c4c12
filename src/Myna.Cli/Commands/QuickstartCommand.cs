using System.CommandLine;
using System.Diagnostics;
using Myna.Evaluation.Perplexity;
using Myna.Models.Perplexity;
using Myna.Generation;
using Myna.Text.Tokenization;
using Spectre.Console;

namespace Myna.Cli.Commands;

/// <summary>
/// <c>myna quickstart</c>: the first thing a newcomer runs. With the embedded default model it generates, for real,
/// from three prompts (one Chinese), measures perplexity on the model's held-out text and shows what to try next.
/// Without the model (a checkout that has not built it) it says so and shows the tokenizer, which needs no model.
/// </summary>
internal static class QuickstartCommand
{
    /// <summary>The sentence every tour of Myna starts from.</summary>
    public const string SeedPrompt = "Hello, I am a product manager.";

    /// <summary>The other two prompts: one in the register of the English corpus, one in its Chinese poetry.</summary>
    public static readonly string[] Prompts = [SeedPrompt, "And the LORD said unto Moses,", "床前明月光，"];


    /// <summary>New tokens per prompt: a few sentences.</summary>
    public const int NewTokens = 60;

    /// <summary>Held-out validation shards shipped inside the default model directory.</summary>
    public const string HeldOutFolder = "heldout";

    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = $"Model directory. Default: {ModelLocator.DefaultModelPath}." };
        var command = new Command("quickstart",
            "Generate with the embedded default model, measure it on held-out text, and show what to try next.\n\n" +
            "Example:\n  dotnet run --project src/Myna.Cli -c Release -- quickstart")
        {
            model,
        };
        command.SetAction(async (parsed, cancellation) =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            IAnsiConsole console = Terminal.For(output);
            string? directory = TryResolve(parsed.GetValue(model));
            if (directory is null)
            {
                console.MarkupLine($"[yellow]The default model ({ModelLocator.DefaultModelPath}) is not in this checkout.[/] Build it with [bold]bash recipes/default-model.sh[/],");
                console.MarkupLine("or pass --model DIR. Meanwhile, the tokenizer, which needs no model:");
                console.WriteLine();
                ShowTokenizer(console, output);
                ShowNextSteps(console);
                return MynaApp.Success;
            }
            await RunWithModel(console, output, directory, cancellation);
            return MynaApp.Success;
        });
        return command;
    }

    private static string? TryResolve(string? requested)
    {
        try
        {
            return ModelLocator.Resolve(requested);
        }
        catch (CliException) when (requested is null)
        {
            return null;
        }
    }

    private static async Task RunWithModel(IAnsiConsole console, TextWriter output, string directory, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        GptLanguageModel model = ModelLocator.Load(directory);
        if (model.Tokenizer is null) throw new CliException($"'{directory}' has no tokenizer files.");
        var config = model.Config;
        console.Write(new Rule("[bold]Myna quickstart[/]").LeftJustified());
        // Lines with timings go out unwrapped, so their width never moves text to another line.
        output.WriteLine($"Model {directory}: {model.Weights.Values.Length / 1e6:F1}M parameters " +
                         $"({config.LayerCount} layers × {config.EmbeddingSize} wide, context {config.ContextLength}, vocabulary {config.VocabSize}), loaded in {clock.ElapsedMilliseconds} ms.");
        console.WriteLine();

        // Sampling (seeded, so every run prints the same text): greedy decoding makes small models repeat themselves.
        var options = new GenerationOptions { MaxNewTokens = NewTokens, DoSample = true, Temperature = 0.8f, TopP = 0.95f, RepetitionPenalty = 1.1f, Seed = 42 };
        long generated = 0;
        var generation = Stopwatch.StartNew();
        foreach (string prompt in Prompts)
        {
            console.MarkupLine($"[grey]prompt:[/] [bold]{Markup.Escape(prompt)}[/]");
            output.Write(prompt);
            await foreach (GenerationChunk chunk in model.GenerateStreamAsync(model.Tokenizer.Encode(prompt), options, cancellation))
            {
                output.Write(chunk.Text);
                output.Flush();
                generated++;
            }
            output.WriteLine();
            console.WriteLine();
        }
        output.WriteLine($"{generated} tokens generated at {generated / generation.Elapsed.TotalSeconds:F0} tokens/s (sampling: temperature 0.8, top-p 0.95, seed 42).");
        console.WriteLine();

        string heldOut = Path.Combine(directory, HeldOutFolder);
        if (File.Exists(Path.Combine(heldOut, "meta.json")))
        {
            // Held-out perplexity has one definition everywhere (quickstart, eval ppl, the card): the whole held-out split,
            // the model's context as window, half of it as stride.
            int[] tokens = HeldOutShards.Read(heldOut).Tokens;
            PerplexityResult result = PerplexityEvaluator.Evaluate(model, tokens, cancellation: cancellation);
            console.MarkupLine($"Held-out perplexity: [bold]{result.Perplexity:F2}[/] on the whole validation split " +
                               $"({result.Definition}; {BitsPerByte(result, model.Tokenizer, tokens):F3} bits per byte).");
            console.WriteLine();
        }
        ShowNextSteps(console);
    }

    private static double BitsPerByte(PerplexityResult result, GptTokenizer tokenizer, int[] tokens) =>
        (result with { Bytes = System.Text.Encoding.UTF8.GetByteCount(tokenizer.Decode(tokens.AsSpan(1), skipSpecialTokens: true)) }).BitsPerByte;

    private static void ShowTokenizer(IAnsiConsole console, TextWriter output)
    {
        GptTokenizer tokenizer = GptTokenizer.Gpt2();
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("text");
        table.AddColumn("tokens", c => c.RightAligned());
        table.AddColumn("decodes back");
        var idLines = new List<string>();
        foreach (string sample in new[] { SeedPrompt, "Tokenizers split words like \"unbelievably\" into pieces.", "你好，世界！ 👋" })
        {
            int[] ids = tokenizer.Encode(sample);
            table.AddRow(Markup.Escape(sample), ids.Length.ToString(), tokenizer.Decode(ids) == sample ? "[green]exactly[/]" : "[red]differs[/]");
            idLines.Add($"  {sample} → {string.Join(',', ids)}");
        }
        console.Write(table);
        // Ids go out unwrapped so they can be copied into `myna tokenize --decode`.
        console.WriteLine("GPT-2 token ids:");
        foreach (string line in idLines) output.WriteLine(line);
        console.WriteLine();
    }

    private static void ShowNextSteps(IAnsiConsole console)
    {
        console.MarkupLine("[bold]Next[/]");
        console.MarkupLine("  myna generate --prompt \"...\" --stream        continue your own text");
        console.MarkupLine("  myna chat                                    talk with the model");
        console.MarkupLine("  myna eval ppl --data FILE                    perplexity on your text");
        console.MarkupLine("  bash recipes/default-model.sh                train your own (prepare → shard → train)");
        console.MarkupLine("  myna export --format gguf --out m.gguf       run it in llama.cpp");
    }
}
