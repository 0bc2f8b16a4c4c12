using System.CommandLine;
using Microsoft.Extensions.AI;
using Myna.Generation;
using Myna.Generation.Chat;

namespace Myna.Cli.Commands;

/// <summary><c>myna chat</c>: an interactive, multi-turn conversation with a model.</summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var dtype = ModelLocator.CreateDtypeOption();
        var model = new Option<string>("--model", "-m") { Description = $"Model directory. Default: {ModelLocator.DefaultModelPath}." };
        Option<bool> allowNonFinite = ModelLocator.CreateAllowNonFiniteOption();
        var system = new Option<string>("--system") { Description = "Text that frames the conversation (kept when old turns are trimmed)." };
        var temperature = new Option<float>("--temperature") { Description = $"Sampling temperature; 0 is greedy (default {MynaChatClient.DefaultTemperature}).", DefaultValueFactory = _ => MynaChatClient.DefaultTemperature };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = $"Longest reply in tokens (default {MynaChatClient.DefaultMaxOutputTokens}).", DefaultValueFactory = _ => MynaChatClient.DefaultMaxOutputTokens };
        var seed = new Option<int?>("--seed") { Description = "Seed for reproducible replies." };
        var command = new Command("chat",
            "Talk with a model, turn by turn. Type a message and press Enter; /reset starts over, /exit (or end of input) quits.\n" +
            "Base models are prompted with a plain 'User: / Assistant:' transcript; older turns are dropped when the context fills.\n\n" +
            "Examples:\n  myna chat\n  myna chat --model models/myna-default --system \"You answer in one sentence.\" --temperature 0.7")
        {
            model, allowNonFinite, system, temperature, maxNewTokens, seed, dtype,
        };
        command.SetAction(async (parsed, cancellation) =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            if (parsed.GetValue(temperature) < 0) throw new CliException("--temperature must be 0 (greedy) or more.", MynaApp.UsageError);
            if (parsed.GetValue(maxNewTokens) < 1) throw new CliException("--max-new-tokens must be 1 or more.", MynaApp.UsageError);
            GptLanguageModel lm = ModelLocator.Load(parsed.GetValue(model), parsed.GetValue(dtype), parsed.GetValue(allowNonFinite), parsed.InvocationConfiguration.Error);
            using var client = new MynaChatClient(lm);
            var options = new ChatOptions { Temperature = parsed.GetValue(temperature), MaxOutputTokens = parsed.GetValue(maxNewTokens), Seed = parsed.GetValue(seed) };
            var history = new List<ChatMessage>();
            if (parsed.GetValue(system) is { Length: > 0 } framing) history.Add(new ChatMessage(ChatRole.System, framing));
            int framingCount = history.Count;

            output.WriteLine("Chatting with the model. /reset starts over, /exit quits.");
            while (true)
            {
                output.Write("you> ");
                output.Flush();
                string? line = await MynaApp.Input.ReadLineAsync(cancellation);
                if (line is null || line.Trim() == "/exit") break;
                if (line.Trim().Length == 0) continue;
                if (line.Trim() == "/reset")
                {
                    history.RemoveRange(framingCount, history.Count - framingCount);
                    output.WriteLine("(conversation reset)");
                    continue;
                }
                history.Add(new ChatMessage(ChatRole.User, line));
                output.Write("myna> ");
                var reply = new System.Text.StringBuilder();
                try
                {
                    await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(history, options, cancellation))
                    {
                        output.Write(update.Text);
                        output.Flush();
                        reply.Append(update.Text);
                    }
                }
                catch (ArgumentException ex)
                {
                    history.RemoveAt(history.Count - 1);
                    output.WriteLine();
                    parsed.InvocationConfiguration.Error.WriteLine($"error: {ex.Message}");
                    continue;
                }
                output.WriteLine();
                history.Add(new ChatMessage(ChatRole.Assistant, reply.ToString().Trim()));
            }
            return MynaApp.Success;
        });
        return command;
    }
}
