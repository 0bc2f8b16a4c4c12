namespace Myna.Apps.Recommendation;

/// <summary>
/// The items as model tokens: catalogue ids sorted ascending map to tokens 0..N-1, and token N is the end-of-sequence
/// token that separates users in the training stream and starts every history the model reads.
/// </summary>
public sealed class ItemVocabulary
{
    private readonly int[] _itemIds;
    private readonly Dictionary<int, int> _tokens;

    /// <summary>A vocabulary over <paramref name="itemIds"/> (any order, repeats ignored).</summary>
    /// <exception cref="ArgumentException">There are no items.</exception>
    public ItemVocabulary(IEnumerable<int> itemIds)
    {
        _itemIds = itemIds.Distinct().Order().ToArray();
        if (_itemIds.Length == 0) throw new ArgumentException("an item vocabulary needs at least one item.", nameof(itemIds));
        _tokens = new Dictionary<int, int>(_itemIds.Length);
        for (int i = 0; i < _itemIds.Length; i++) _tokens[_itemIds[i]] = i;
    }

    /// <summary>Number of items (tokens 0..Count-1).</summary>
    public int Count => _itemIds.Length;

    /// <summary>The end-of-sequence token: one past the last item.</summary>
    public int EndOfSequence => _itemIds.Length;

    /// <summary>Tokens the model needs: the items plus the end-of-sequence token.</summary>
    public int TokenCount => _itemIds.Length + 1;

    /// <summary>The catalogue ids in token order.</summary>
    public IReadOnlyList<int> ItemIds => _itemIds;

    /// <summary>The catalogue id of an item token.</summary>
    public int ItemId(int token) => _itemIds[token];

    /// <summary>The token of a catalogue id, or -1 when the item is not in the vocabulary.</summary>
    public int TokenOf(int itemId) => _tokens.TryGetValue(itemId, out int token) ? token : -1;

    /// <summary>A SHA-256 over the ids in order, hex: the shards' fingerprint, so a model and its vocabulary agree.</summary>
    public string Fingerprint()
    {
        byte[] bytes = new byte[_itemIds.Length * 4];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(_itemIds.AsSpan()).CopyTo(bytes);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
    }
}
