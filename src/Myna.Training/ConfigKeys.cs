using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Myna.Training;

/// <summary>
/// The keys of a training config file and of the options in trainer_state.json: each <see cref="TrainingOptions"/>
/// property under its flag's name (<c>lr</c> for <c>--lr</c>). Files written before the keys were the flag names used
/// the properties' snake_case names (<c>learning_rate</c>); those are still read, mapped to the flag names, so old
/// runs resume and old config files keep working, but never written.
/// </summary>
internal static class ConfigKeys
{
    // The settable properties: the computed ones (TotalSteps, TokensPerStep) are ignored by the serializer but listed.
    private static readonly JsonPropertyInfo[] Properties =
        TrainingOptions.JsonOptions.GetTypeInfo(typeof(TrainingOptions)).Properties.Where(p => p.Set is not null).ToArray();

    /// <summary>Every key, in declaration order.</summary>
    public static IReadOnlyList<string> Names { get; } = Properties.Select(p => p.Name).ToArray();

    /// <summary>Old snake_case name → flag name, for the properties whose name changed.</summary>
    public static IReadOnlyDictionary<string, string> Legacy { get; } = Properties
        .Select(p => (Old: JsonNamingPolicy.SnakeCaseLower.ConvertName(((MemberInfo)p.AttributeProvider!).Name), New: p.Name))
        .Where(pair => pair.Old != pair.New)
        .ToDictionary(pair => pair.Old, pair => pair.New, StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="baseline"/> with every key of <paramref name="fields"/> applied, each value checked on its own
    /// so that a refusal names the key and what it should hold.
    /// </summary>
    /// <param name="baseline">The options the keys are applied over.</param>
    /// <param name="fields">The keys and values read.</param>
    /// <param name="source">What the fields came from, to start each message (e.g. "config file 'c.json'").</param>
    /// <exception cref="TrainingOptionsException">An unknown key (with the nearest valid one and the list of keys), a key given twice under its old and new names, or a value of the wrong type.</exception>
    public static TrainingOptions Apply(TrainingOptions baseline, JsonObject fields, string source)
    {
        var merged = (JsonObject)JsonSerializer.SerializeToNode(baseline, TrainingOptions.JsonOptions)!;
        var seen = new Dictionary<string, string>(StringComparer.Ordinal); // flag name → the key that set it
        foreach ((string key, JsonNode? value) in fields)
        {
            string name = Names.Contains(key, StringComparer.Ordinal) ? key
                : Legacy.TryGetValue(key, out string? renamed) ? renamed
                : throw Unknown(key, source);
            if (seen.TryGetValue(name, out string? earlier))
                throw new TrainingOptionsException($"{source}: '{earlier}' and '{key}' both set '{name}'; keep one ('{name}').", isUsage: true);
            seen[name] = key;
            JsonPropertyInfo property = Properties.Single(p => p.Name == name);
            try
            {
                JsonSerializer.Deserialize(value, property.PropertyType, TrainingOptions.JsonOptions);
            }
            catch (JsonException)
            {
                throw new TrainingOptionsException($"{source}: '{key}' must be {Expected(property.PropertyType)}; it is {value?.ToJsonString() ?? "null"}.", isUsage: true);
            }
            merged[name] = value?.DeepClone();
        }
        try
        {
            return merged.Deserialize<TrainingOptions>(TrainingOptions.JsonOptions)!;
        }
        catch (JsonException ex)
        {
            throw new TrainingOptionsException($"{source}: {ex.Message}", isUsage: true);
        }
    }

    private static TrainingOptionsException Unknown(string key, string source)
    {
        string? nearest = NearestName.Find(key, Names.Concat(Legacy.Keys));
        if (nearest is not null && Legacy.TryGetValue(nearest, out string? renamed)) nearest = renamed;
        string hint = nearest is null ? "." : $"; did you mean '{nearest}'?";
        return new TrainingOptionsException($"{source}: unknown key '{key}'{hint} Valid keys (the `myna train` flag names): {string.Join(", ", Names)}.", isUsage: true);
    }

    private static string Expected(Type type)
    {
        Type plain = Nullable.GetUnderlyingType(type) ?? type;
        if (plain == typeof(int) || plain == typeof(long)) return "a whole number";
        if (plain == typeof(ulong)) return "a whole number ≥ 0";
        if (plain == typeof(double)) return "a number";
        if (plain.IsEnum) return "one of " + string.Join(", ", Enum.GetNames(plain).Select(n => $"\"{JsonNamingPolicy.SnakeCaseLower.ConvertName(n)}\""));
        return "a string";
    }
}
