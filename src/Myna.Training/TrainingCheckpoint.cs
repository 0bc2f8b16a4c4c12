using System.Text.Json;
using System.Text.Json.Nodes;
using Myna.Models;
using Myna.Models.Checkpoints;
using Myna.Text.Output;

namespace Myna.Training;

/// <summary>
/// The files of one checkpoint folder: a Hugging Face model directory (config.json, model.safetensors,
/// generation_config.json, the tokenizer's files) plus, for a resumable checkpoint, optimizer.safetensors (AdamW
/// moments named <c>exp_avg.NAME</c> / <c>exp_avg_sq.NAME</c> as in PyTorch's optimizer state) and trainer_state.json.
/// Each file is written atomically; <see cref="CheckpointStore"/> makes the folder as a whole atomic.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>AdamW moments and step count.</summary>
    public const string OptimizerFileName = "optimizer.safetensors";

    /// <summary>Step, data position, random state, best validation loss, options.</summary>
    public const string StateFileName = "trainer_state.json";

    /// <summary>Writes the model directory files for the model's current parameters.</summary>
    public static void SaveModel(string directory, GptModel model, string? tokenizerDirectory, int? endOfTextId)
    {
        var weights = new GptWeights(model.Config);
        model.Parameters.CopyTo(weights.Values);
        ModelDirectory.Save(directory, weights, SafeTensorsDType.F32, endOfTextId);
        if (tokenizerDirectory is not null) ModelDirectory.CopyTokenizerFiles(tokenizerDirectory, directory);
    }

    /// <summary>Writes optimizer.safetensors and trainer_state.json.</summary>
    public static void SaveTrainingState(string directory, ParameterLayout layout, AdamW optimizer, TrainerState state)
    {
        var tensors = new List<TensorToWrite>();
        foreach (ParameterEntry entry in layout.Entries)
        {
            long[] shape = entry.Shape.Select(d => (long)d).ToArray();
            tensors.Add(new TensorToWrite("exp_avg." + entry.Name, shape, optimizer.FirstMoment.AsMemory(entry.Offset, entry.Length)));
            tensors.Add(new TensorToWrite("exp_avg_sq." + entry.Name, shape, optimizer.SecondMoment.AsMemory(entry.Offset, entry.Length)));
        }
        SafeTensorsWriter.Write(Path.Combine(directory, OptimizerFileName), tensors,
            new Dictionary<string, string> { ["step"] = optimizer.StepCount.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        AtomicFile.WriteAllText(Path.Combine(directory, StateFileName), JsonSerializer.Serialize(state, TrainerState.Json) + "\n");
    }

    /// <summary>Reads trainer_state.json from a checkpoint folder.</summary>
    /// <exception cref="TrainingOptionsException">The file is missing or malformed.</exception>
    public static TrainerState ReadState(string directory)
    {
        string path = Path.Combine(directory, StateFileName);
        if (!File.Exists(path)) throw new TrainingOptionsException($"'{directory}' has no {StateFileName}: it is not a resumable checkpoint.");
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), TrainerState.Json)
                ?? throw new TrainingOptionsException($"{path} is empty.");
        }
        catch (JsonException ex)
        {
            throw new TrainingOptionsException($"{path} is not a valid trainer state: {ex.Message}");
        }
    }

    /// <summary>Loads parameters and optimizer moments from a checkpoint folder into <paramref name="model"/> and <paramref name="optimizer"/>.</summary>
    /// <exception cref="TrainingOptionsException">The checkpoint does not match the model.</exception>
    public static void LoadTrainingState(string directory, GptModel model, AdamW optimizer, TrainerState state)
    {
        GptWeights weights = GptCheckpoint.Load(directory);
        if (weights.Config != model.Config)
            throw new TrainingOptionsException($"the checkpoint in '{directory}' has shape {weights.Config}, the run expects {model.Config}.");
        weights.Values.CopyTo(model.Parameters);
        using SafeTensorsFile file = SafeTensorsFile.Open(Path.Combine(directory, OptimizerFileName));
        foreach (ParameterEntry entry in model.Layout.Entries)
        {
            file.ReadFloat32("exp_avg." + entry.Name, optimizer.FirstMoment.AsSpan(entry.Offset, entry.Length));
            file.ReadFloat32("exp_avg_sq." + entry.Name, optimizer.SecondMoment.AsSpan(entry.Offset, entry.Length));
        }
        optimizer.StepCount = state.Step;
    }
}
