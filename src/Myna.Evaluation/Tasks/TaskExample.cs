using System.Text.Json;

namespace Myna.Evaluation.Tasks;

/// <summary>One line of a task file: a prompt and the reference answer(s).</summary>
/// <param name="Line">1-based line number in the file, for messages.</param>
/// <param name="Id">The example's "id" when the file gives one, else its line number.</param>
/// <param name="Prompt">Text the model continues.</param>
/// <param name="References">Acceptable answers (at least one).</param>
public sealed record TaskExample(int Line, string Id, string Prompt, IReadOnlyList<string> References)
{
    /// <summary>
    /// Reads a JSONL task file: each non-empty line <c>{"prompt": "...", "reference": "..."}</c> or with
    /// <c>"references": ["...", ...]</c>; an optional <c>"id"</c>.
    /// </summary>
    /// <exception cref="FormatException">A line is not such an object; the message names the line.</exception>
    public static IReadOnlyList<TaskExample> ReadFile(string path)
    {
        var examples = new List<TaskExample>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException ex)
            {
                throw new FormatException($"{path}, line {number}: not JSON ({ex.Message}).");
            }
            if (root.ValueKind != JsonValueKind.Object) throw new FormatException($"{path}, line {number}: expected a JSON object.");
            string prompt = root.TryGetProperty("prompt", out JsonElement p) && p.ValueKind == JsonValueKind.String
                ? p.GetString()! : throw new FormatException($"{path}, line {number}: \"prompt\" (a string) is missing.");
            var references = new List<string>();
            if (root.TryGetProperty("reference", out JsonElement r) && r.ValueKind == JsonValueKind.String) references.Add(r.GetString()!);
            if (root.TryGetProperty("references", out JsonElement rs) && rs.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in rs.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String) throw new FormatException($"{path}, line {number}: \"references\" must hold strings.");
                    references.Add(item.GetString()!);
                }
            }
            if (references.Count == 0) throw new FormatException($"{path}, line {number}: give \"reference\" or a non-empty \"references\".");
            string id = root.TryGetProperty("id", out JsonElement i) ? i.ToString() : number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            examples.Add(new TaskExample(number, id, prompt, references));
        }
        if (examples.Count == 0) throw new FormatException($"{path}: no examples.");
        return examples;
    }
}
