namespace Myna.Models;

/// <summary>A model's shape and its parameters in one flat arena laid out by <see cref="ParameterLayout"/>: what a checkpoint holds.</summary>
public sealed class GptWeights
{
    /// <summary>Zero weights for a configuration (validated).</summary>
    /// <exception cref="ArgumentException">The configuration is invalid.</exception>
    public GptWeights(GptConfig config)
    {
        Config = config;
        Layout = ParameterLayout.ForConfig(config);
        Values = new float[Layout.TotalLength];
    }

    /// <summary>The model's shape.</summary>
    public GptConfig Config { get; }

    /// <summary>Where each tensor lives in <see cref="Values"/>.</summary>
    public ParameterLayout Layout { get; }

    /// <summary>All parameters.</summary>
    public float[] Values { get; }

    /// <summary>One tensor's values.</summary>
    public Span<float> Of(ParameterEntry entry) => Values.AsSpan(entry.Offset, entry.Length);

    /// <summary>One tensor's values by HF name (with or without <c>transformer.</c>).</summary>
    public Span<float> Of(string name) => Of(Layout[name]);
}
