using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text;
using System.Text.Json;
using Myna.Text.Tokenization;
using Spectre.Console;

namespace Myna.Cli.Commands;

/// <summary><c>myna tokenize</c>: text to GPT-2 token ids and back.</summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var tokenizer = new Option<string>("--tokenizer", "-t")
        {
            Description = "'gpt2' for the built-in GPT-2 vocabulary, or a directory with tokenizer.json or vocab.json + merges.txt.",
            DefaultValueFactory = _ => GptTokenizer.Gpt2Name,
        };
        var text = new Option<string>("--text") { Description = "Text to encode." };
        var file = new Option<FileInfo>("--file") { Description = "A UTF-8 file to encode ('-' reads standard input)." };
        var decode = new Option<int[]>("--decode")
        {
            Description = "Comma-separated ids to decode, e.g. \"15496,11,314\".",
            CustomParser = ParseIds,
        };
        var includeSpecial = new Option<bool>("--include-special")
        {
            Description = "Match special tokens such as <|endoftext|> in the text; without it they are plain text.",
        };
        var skipSpecial = new Option<bool>("--skip-special") { Description = "When decoding, leave special tokens out." };
        var replaceInvalid = new Option<bool>("--replace-invalid")
        {
            Description = "Replace bytes of --file that are not UTF-8 with U+FFFD instead of stopping with an error.",
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: {\"ids\":[...]} or {\"text\":\"...\"}." };

        var command = new Command("tokenize",
            "Encode text to token ids, or decode ids to text, with GPT-2 or your own tokenizer.\n\n" +
            "Examples:\n" +
            "  myna tokenize --text \"Hello, I am a product manager.\"\n" +
            "  myna tokenize --tokenizer gpt2 --text \"Hello, I am a product manager.\" --json\n" +
            "  myna tokenize --decode \"15496,11,314,716,257,1720,4706,13\"\n" +
            "  myna tokenize --tokenizer out/tokenizer --file notes.txt --json\n" +
            "  myna tokenize --text \"hello <|endoftext|>\" --include-special")
        {
            tokenizer, text, file, decode, includeSpecial, skipSpecial, replaceInvalid, json,
        };
        command.Validators.Add(result =>
        {
            int inputs = new Option[] { text, file, decode }.Count(o => result.GetResult(o) is not null);
            if (inputs != 1) result.AddError("give exactly one of --text, --file or --decode");
        });

        command.SetAction(parsed =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            GptTokenizer tok = LoadTokenizer(parsed.GetValue(tokenizer)!);
            if (parsed.GetResult(decode) is not null && parsed.GetValue(decode) is { } ids)
            {
                string decoded = Decode(tok, ids, parsed.GetValue(skipSpecial));
                output.WriteLine(parsed.GetValue(json) ? JsonSerializer.Serialize(new { text = decoded }) : decoded);
                return MynaApp.Success;
            }

            string input = parsed.GetValue(text) ?? ReadFile(parsed.GetValue(file)!, parsed.GetValue(replaceInvalid));
            int[] encoded = Encode(tok, input, parsed.GetValue(includeSpecial));
            if (parsed.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(new { ids = encoded }));
            else
                WriteTable(Terminal.For(output), tok, input, encoded);
            return MynaApp.Success;
        });
        return command;
    }

    internal static GptTokenizer LoadTokenizer(string nameOrDirectory)
    {
        try
        {
            return GptTokenizer.Load(nameOrDirectory);
        }
        catch (TokenizerFormatException ex)
        {
            throw new CliException(ex.Message);
        }
    }

    private static int[] Encode(GptTokenizer tokenizer, string text, bool includeSpecial)
    {
        try
        {
            return tokenizer.Encode(text, includeSpecial);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.Message.Split(" (Parameter")[0]);
        }
    }

    private static string Decode(GptTokenizer tokenizer, int[] ids, bool skipSpecial)
    {
        try
        {
            return tokenizer.Decode(ids, skipSpecial);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new CliException($"--decode: token id {ex.ActualValue} is not in the vocabulary of '{tokenizer.Name}' (ids 0 to {tokenizer.VocabSize - 1}).", MynaApp.UsageError);
        }
    }

    private static string ReadFile(FileInfo file, bool replaceInvalid)
    {
        byte[] bytes;
        try
        {
            bytes = file.Name == "-" ? ReadAll(Console.OpenStandardInput()) : File.ReadAllBytes(file.FullName);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read '{file}': {ex.Message}");
        }
        return Utf8Text.Decode(bytes, replaceInvalid, file.ToString(), Utf8Text.ReplaceInvalidHint);
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static int[]? ParseIds(ArgumentResult result)
    {
        var ids = new List<int>();
        foreach (Token token in result.Tokens)
        {
            foreach (string part in token.Value.Trim('[', ']', ' ').Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
            {
                if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id))
                {
                    result.AddError($"--decode expects comma-separated non-negative whole numbers; '{part}' is not one");
                    return null;
                }
                ids.Add(id);
            }
        }
        if (ids.Count == 0)
        {
            result.AddError("--decode got no ids; give them comma-separated, e.g. \"15496,11,314\"");
            return null;
        }
        return [.. ids];
    }

    private static void WriteTable(IAnsiConsole console, GptTokenizer tokenizer, string input, int[] ids)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"{ids.Length} tokens ({tokenizer.Name})");
        table.AddColumn("#", c => c.RightAligned());
        table.AddColumn("id", c => c.RightAligned());
        table.AddColumn("token");
        for (int i = 0; i < ids.Length; i++)
            table.AddRow(i.ToString(), ids[i].ToString(), Markup.Escape(Visible(tokenizer.Decode([ids[i]]))));
        console.Write(table);
        console.WriteLine($"ids: {string.Join(',', ids)}");
        console.WriteLine($"{Encoding.UTF8.GetByteCount(input)} bytes → {ids.Length} tokens");
    }

    /// <summary>Shows white space in a token so that " the" and "the" look different.</summary>
    private static string Visible(string token) =>
        "\"" + token.Replace("\\", "\\\\").Replace("\n", "\\n").Replace("\t", "\\t").Replace("\r", "\\r") + "\"";
}
