using System.CommandLine;
using System.Text.Json;
using Myna.Generation;
using Myna.Tensors;

namespace Myna.Cli.Commands;

/// <summary><c>myna generate</c>: continue a prompt with a model.</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var dtype = ModelLocator.CreateDtypeOption();
        var model = new Option<string>("--model", "-m") { Description = $"Model directory (Hugging Face layout). Default: {ModelLocator.DefaultModelPath}." };
        Option<bool> allowNonFinite = ModelLocator.CreateAllowNonFiniteOption();
        var prompt = new Option<string>("--prompt", "-p") { Description = "Text to continue.", Required = true };
        var options = new GenerationFlags();
        var stream = new Option<bool>("--stream") { Description = "Print text as it is generated." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: {\"sequences\":[{\"ids\",\"text\",\"finish_reason\"}],\"prompt_ids\":[...],\"dtype\",\"isa\"}." };

        var command = new Command("generate",
            "Continue a prompt: greedy by default, sampling with --do-sample.\n\n" +
            "Examples:\n" +
            "  myna generate --prompt \"Hello, I am a product manager.\"\n" +
            "  myna generate --model models/myna-default --prompt \"Once upon a time\" --max-new-tokens 80 --stream\n" +
            "  myna generate --prompt \"The\" --do-sample --temperature 0.8 --top-p 0.95 --num-return-sequences 3 --seed 1 --json")
        {
            model, allowNonFinite, prompt, stream, json, dtype,
        };
        options.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(stream) && result.GetValue(json)) result.AddError("--stream and --json cannot be combined; --json prints one object at the end");
        });

        command.SetAction(async (parsed, cancellation) =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            GenerationOptions generation = options.Read(parsed);
            GptLanguageModel lm = ModelLocator.Load(parsed.GetValue(model), parsed.GetValue(dtype), parsed.GetValue(allowNonFinite), parsed.InvocationConfiguration.Error);
            if (lm.Tokenizer is null) throw new CliException("the model directory has no tokenizer (tokenizer.json or vocab.json + merges.txt).");
            int[] promptIds = lm.Tokenizer.Encode(parsed.GetValue(prompt)!);
            int room = lm.Config.ContextLength - promptIds.Length;
            if ((generation.MaxNewTokens ?? (generation.MaxLength - promptIds.Length)) is int asked && asked > room && room > 0)
                parsed.InvocationConfiguration.Error.WriteLine($"note: the model's context is {lm.Config.ContextLength} tokens and the prompt takes {promptIds.Length}; generation stops after at most {room} new tokens, not {asked}.");
            try
            {
                if (parsed.GetValue(stream))
                {
                    int current = 0;
                    output.Write(parsed.GetValue(prompt));
                    await foreach (GenerationChunk chunk in lm.GenerateStreamAsync(promptIds, generation, cancellation))
                    {
                        if (chunk.Sequence != current)
                        {
                            current = chunk.Sequence;
                            output.WriteLine();
                            output.WriteLine($"--- sequence {current + 1} ---");
                            output.Write(parsed.GetValue(prompt));
                        }
                        output.Write(chunk.Text);
                        output.Flush();
                    }
                    output.WriteLine();
                    return MynaApp.Success;
                }

                IReadOnlyList<GeneratedSequence> results = lm.GenerateDetailed([promptIds], generation, cancellation);
                if (parsed.GetValue(json))
                {
                    output.WriteLine(JsonSerializer.Serialize(new
                    {
                        sequences = results.Select(r => new
                        {
                            ids = r.NewIds,
                            text = r.Text,
                            finish_reason = r.FinishReason.ToString().ToLowerInvariant(),
                            logprobs = r.LogProbs,
                        }),
                        prompt_ids = promptIds,
                        dtype = ModelLocator.DtypeName(lm.Precision),
                        isa = SimdTiers.Name(SimdTiers.Current),
                    }, new JsonSerializerOptions { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }));
                }
                else
                {
                    for (int i = 0; i < results.Count; i++)
                    {
                        if (results.Count > 1) output.WriteLine($"--- sequence {i + 1} ({results[i].FinishReason.ToString().ToLowerInvariant()}) ---");
                        output.WriteLine(parsed.GetValue(prompt) + results[i].Text);
                    }
                }
                return MynaApp.Success;
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message);
            }
        });
        return command;
    }
}
