namespace Myna.Evaluation.Bleu;

/// <summary>sacreBLEU's smoothing methods for n-gram orders without matches (Chen and Cherry, WMT 2014).</summary>
public enum BleuSmoothing
{
    /// <summary>No smoothing: an order without matches makes the score 0.</summary>
    None,

    /// <summary>Method 1: an order without matches gets precision <c>value / total</c> (default value 0.1).</summary>
    Floor,

    /// <summary>Method 2: adds <c>value</c> to matches and totals of orders 2 and up (default value 1).</summary>
    AddK,

    /// <summary>Method 3, NIST's (mteval-v13a): the k-th order without matches gets precision <c>1 / (2^k · total)</c>.</summary>
    Exp,
}

/// <summary>Names and default values of <see cref="BleuSmoothing"/> as sacreBLEU spells them.</summary>
public static class BleuSmoothingNames
{
    /// <summary>The names accepted by <see cref="Parse"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = ["exp", "floor", "add-k", "none"];

    /// <summary>sacreBLEU's name: <c>exp</c>, <c>floor</c>, <c>add-k</c> or <c>none</c>.</summary>
    public static string Name(this BleuSmoothing smoothing) => smoothing switch
    {
        BleuSmoothing.None => "none",
        BleuSmoothing.Floor => "floor",
        BleuSmoothing.AddK => "add-k",
        BleuSmoothing.Exp => "exp",
        _ => throw new ArgumentOutOfRangeException(nameof(smoothing)),
    };

    /// <summary>The value a method uses when none is given (sacreBLEU's <c>SMOOTH_DEFAULTS</c>); null when the
    /// method takes no value.</summary>
    public static double? DefaultValue(this BleuSmoothing smoothing) => smoothing switch
    {
        BleuSmoothing.Floor => 0.1, // Chen and Cherry's value for method 1
        BleuSmoothing.AddK => 1, // Lin and Och's add-one
        _ => null,
    };

    /// <summary>The method called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Names"/>.</exception>
    public static BleuSmoothing Parse(string name) => name switch
    {
        "none" => BleuSmoothing.None,
        "floor" => BleuSmoothing.Floor,
        "add-k" => BleuSmoothing.AddK,
        "exp" => BleuSmoothing.Exp,
        _ => throw new ArgumentException($"unknown smoothing method '{name}'; use one of {string.Join(", ", Names)}", nameof(name)),
    };
}
