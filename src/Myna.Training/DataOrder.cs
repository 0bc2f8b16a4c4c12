namespace Myna.Training;

/// <summary>How the loader walks the training windows.</summary>
public enum DataOrder
{
    /// <summary>A fresh seeded permutation of all windows every epoch.</summary>
    Random,

    /// <summary>Windows in shard order, epoch after epoch.</summary>
    Sequential,
}
