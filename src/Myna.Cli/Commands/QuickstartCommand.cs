using System.CommandLine;
using Myna.Text.Tokenization;
using Spectre.Console;

namespace Myna.Cli.Commands;

/// <summary>
/// <c>myna quickstart</c>: the first thing a newcomer runs. It runs, for real, the part of the pipeline that exists
/// today and says what to try next; it grows with the product (generation once the default model ships).
/// </summary>
internal static class QuickstartCommand
{
    /// <summary>The sentence every tour of Myna starts from.</summary>
    public const string SeedPrompt = "Hello, I am a product manager.";

    public static Command Create()
    {
        var command = new Command("quickstart",
            "Run Myna end to end on the built-in GPT-2 tokenizer and show what to try next.\n\n" +
            "Example:\n  dotnet run --project src/Myna.Cli -c Release -- quickstart");
        command.SetAction(parsed =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            Run(Terminal.For(output), output);
            return MynaApp.Success;
        });
        return command;
    }

    private static void Run(IAnsiConsole console, TextWriter output)
    {
        console.Write(new Rule("[bold]Myna quickstart[/]").LeftJustified());
        console.MarkupLine("The part of the lifecycle that runs today: [bold]tokenization[/],");
        console.MarkupLine("here with GPT-2's vocabulary (50,257 byte-level BPE tokens).");
        console.WriteLine();

        GptTokenizer tokenizer = GptTokenizer.Gpt2();
        string[] samples = [SeedPrompt, "Tokenizers split words like \"unbelievably\" into pieces.", "你好，世界！ 👋"];
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("text");
        table.AddColumn("tokens", c => c.RightAligned());
        table.AddColumn("decodes back");
        var idLines = new List<string>();
        foreach (string sample in samples)
        {
            int[] ids = tokenizer.Encode(sample);
            string roundTrip = tokenizer.Decode(ids);
            table.AddRow(Markup.Escape(sample), ids.Length.ToString(), roundTrip == sample ? "[green]exactly[/]" : "[red]differs[/]");
            idLines.Add($"  {sample} → {string.Join(',', ids)}");
        }
        console.Write(table);
        // Ids go out unwrapped so they can be copied into `myna tokenize --decode`.
        console.WriteLine("Token ids:");
        foreach (string line in idLines) output.WriteLine(line);
        console.WriteLine();

        console.MarkupLine("[bold]What works now[/]");
        console.MarkupLine("  myna tokenize --text \"your text\"        token table for any text");
        console.MarkupLine("  myna tokenize --decode \"15496,11,314\"   ids back to text");
        console.MarkupLine("  myna tokenize --tokenizer DIR --file F  your own tokenizer directory");
        console.MarkupLine("  myna bench tokenize                    tokenizer speed on this machine");
        console.WriteLine();
        console.MarkupLine("[bold]Coming next[/] (README's status table): data preparation, training,");
        console.MarkupLine("generation with an embedded default model, evaluation and a server.");
    }
}
