using Myna.Tensors;

namespace Myna.Models.Inference;

/// <summary>
/// The keys and values a <see cref="GptInference"/> keeps per layer, laid out (sequences, NH, n_ctx, hs) so that one
/// query reads its head's keys and values as two contiguous runs. Held in f32, or in half precision (as llama.cpp keeps
/// its cache by default), which halves what every decode step reads back. S sequences, NH heads, hs = C / NH.
/// </summary>
internal sealed class KeyValueCache
{
    private readonly float[][]? _keys;
    private readonly float[][]? _values;
    private readonly ushort[][]? _halfKeys;
    private readonly ushort[][]? _halfValues;
    private readonly int _heads, _headSize, _contextLength, _channels;

    /// <exception cref="ArgumentOutOfRangeException">The sequences do not fit one array per layer.</exception>
    public KeyValueCache(GptConfig config, int sequences, bool halfPrecision)
    {
        _heads = config.HeadCount;
        _channels = config.EmbeddingSize;
        _headSize = _channels / _heads;
        _contextLength = config.ContextLength;
        long length = (long)sequences * _contextLength * _channels;
        if (length > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(sequences), sequences, $"{sequences} sequences of {_contextLength} tokens do not fit one cache array per layer.");
        // Every slot holds a whole context, so asking for many sequences of a large model can exceed the machine; say so
        // before allocating rather than be killed by the kernel once the pages are touched.
        long needed = 2L * config.LayerCount * length * (halfPrecision ? sizeof(ushort) : sizeof(float));
        if (!MemoryBudget.Fits(needed))
            throw new InsufficientMemoryException(
                $"a key-value cache for {sequences} sequences of {_contextLength} tokens needs {MemoryBudget.Gibibytes(needed)} and this machine has " +
                $"{MemoryBudget.Gibibytes(MemoryBudget.Available)} available; ask for fewer sequences at once (e.g. --num-return-sequences) or use --dtype f16.");
        if (halfPrecision)
        {
            _halfKeys = Enumerable.Range(0, config.LayerCount).Select(_ => new ushort[length]).ToArray();
            _halfValues = Enumerable.Range(0, config.LayerCount).Select(_ => new ushort[length]).ToArray();
            Bytes = 2L * config.LayerCount * length * sizeof(ushort);
        }
        else
        {
            _keys = Enumerable.Range(0, config.LayerCount).Select(_ => new float[length]).ToArray();
            _values = Enumerable.Range(0, config.LayerCount).Select(_ => new float[length]).ToArray();
            Bytes = 2L * config.LayerCount * length * sizeof(float);
        }
    }

    /// <summary>Bytes held.</summary>
    public long Bytes { get; }

    /// <summary>Where a sequence's block starts in each layer's arrays (what <see cref="CachedAttention"/> calls cacheStart).</summary>
    public int SequenceStart(int sequence) => (int)((long)sequence * _contextLength * _channels);

    /// <summary>Writes one position's keys and values (C each, heads side by side, as the qkv projection gives them).</summary>
    public void Store(int layer, int sequence, int position, ReadOnlySpan<float> keys, ReadOnlySpan<float> values)
    {
        for (int h = 0; h < _heads; h++)
        {
            int at = SequenceStart(sequence) + (h * _contextLength + position) * _headSize;
            ReadOnlySpan<float> key = keys.Slice(h * _headSize, _headSize), value = values.Slice(h * _headSize, _headSize);
            if (_keys is not null)
            {
                key.CopyTo(_keys[layer].AsSpan(at, _headSize));
                value.CopyTo(_values![layer].AsSpan(at, _headSize));
            }
            else
            {
                HalfConversion.SingleToHalf(key, _halfKeys![layer].AsSpan(at, _headSize));
                HalfConversion.SingleToHalf(value, _halfValues![layer].AsSpan(at, _headSize));
            }
        }
    }

    /// <summary>Copies the first <paramref name="length"/> positions of one sequence, every layer and head, into another.</summary>
    public void Copy(int from, int to, int length)
    {
        int layers = _keys?.Length ?? _halfKeys!.Length;
        for (int l = 0; l < layers; l++)
        {
            for (int h = 0; h < _heads; h++)
            {
                long head = (long)h * _contextLength * _headSize;
                long source = SequenceStart(from) + head, destination = SequenceStart(to) + head, count = (long)length * _headSize;
                if (_keys is not null)
                {
                    Array.Copy(_keys[l], source, _keys[l], destination, count);
                    Array.Copy(_values![l], source, _values[l], destination, count);
                }
                else
                {
                    Array.Copy(_halfKeys![l], source, _halfKeys[l], destination, count);
                    Array.Copy(_halfValues![l], source, _halfValues[l], destination, count);
                }
            }
        }
    }

    /// <summary>Attention of N query rows over this layer's cache: see <see cref="CachedAttention"/>.</summary>
    public void Attend(int layer, Span<float> output, ReadOnlySpan<float> qkv, ReadOnlySpan<int> cacheStart, ReadOnlySpan<int> length, int rows, Span<float> scores)
    {
        if (_keys is not null)
            CachedAttention.Forward(output, qkv, _keys[layer], _values![layer], cacheStart, length, rows, _channels, _heads, _contextLength, scores);
        else
            CachedAttention.Forward(output, qkv, _halfKeys![layer], _halfValues![layer], cacheStart, length, rows, _channels, _heads, _contextLength, scores);
    }
}
