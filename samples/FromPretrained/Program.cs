// The C# counterpart of transformers' GPT2LMHeadModel.from_pretrained(...) + generate(...).
// Run: dotnet run --project samples/FromPretrained [model directory]   (default: models/myna-default)
using Myna.Generation;
using Myna.Text.Tokenization;

string path = args.Length > 0 ? args[0] : "models/myna-default";

var tokenizer = GptTokenizer.FromPretrained(path);
var model = GptLanguageModel.FromPretrained(path);
int[] inputIds = tokenizer.Encode("Hello, I am a product manager.");
int[][] output = model.Generate(inputIds, new GenerationOptions { MaxLength = 100, NumReturnSequences = 1 });
Console.WriteLine(tokenizer.Decode(output[0], skipSpecialTokens: true));

// Streaming: tokens as they are generated, stoppable with a CancellationToken.
using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
Console.Write("Once upon a time");
await foreach (string piece in model.StreamTextAsync("Once upon a time", new GenerationOptions { MaxNewTokens = 40 }, cancel.Token))
    Console.Write(piece);
Console.WriteLine();
