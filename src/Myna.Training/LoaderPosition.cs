using System.Text.Json.Serialization;

namespace Myna.Training;

/// <summary>Where the data loader is: the epoch and the next window within it (0-based). Saved in trainer_state.json.</summary>
public sealed record LoaderPosition(
    [property: JsonPropertyName("epoch")] long Epoch,
    [property: JsonPropertyName("cursor")] long Cursor);
