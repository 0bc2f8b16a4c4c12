// Generates corpus.jsonl: a small synthetic English corpus from a fixed probabilistic grammar.
// Deterministic (seeded): `dotnet run data/samples/grammar/generate.cs -- data/samples/grammar/corpus.jsonl` rewrites
// it byte for byte. One document per line, {"text": "..."}, each a paragraph of 3-7 sentences.
//
// The corpus was first written by a Python script with random.Random(20261128); this program draws the same numbers
// (MT19937 seeded as CPython seeds it from an int, and CPython's rejection sampling for randrange and choice), so the
// committed file stays what it was and no Python is needed to rebuild it.

using System.Text;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: dotnet run generate.cs -- OUTPUT_FILE");
    return 2;
}

const uint Seed = 20261128;
const int Documents = 1500;

string[] names = ["Ada", "Ben", "Cleo", "Dev", "Ema", "Finn", "Gia", "Hugo", "Iris", "Jon", "Kai", "Lena", "Milo", "Nora",
    "Omar", "Pia", "Quin", "Rosa", "Sam", "Tara"];
string[] animals = ["cat", "dog", "fox", "owl", "horse", "rabbit", "goat", "duck", "mouse", "bear"];
string[] places = ["the garden", "the river", "the old mill", "the market", "the forest", "the hill", "the library",
    "the harbour", "the bakery", "the station"];
string[] adjectives = ["small", "quiet", "brave", "clever", "sleepy", "happy", "curious", "gentle", "old", "young"];
string[] colours = ["red", "blue", "green", "yellow", "white", "black", "brown", "grey"];
string[] objects = ["ball", "book", "lamp", "basket", "kite", "boat", "hat", "key", "map", "cup"];
string[] pastVerbs = ["found", "lost", "carried", "painted", "opened", "hid", "fixed", "shared", "dropped", "built"];
string[] motion = ["walked to", "ran to", "looked around", "sat near", "waited at", "came back from"];
string[] feelings = ["glad", "tired", "surprised", "hungry", "proud", "worried", "calm"];
string[] weather = ["It was raining", "The sun was warm", "The wind was cold", "Snow covered everything", "The sky was clear"];
string[] times = ["In the morning", "After lunch", "In the evening", "At night", "On Sunday", "Later that day"];

var rng = new PythonRandom(Seed);
string Pick(string[] items) => items[rng.Below(items.Length)];

string Sentence(string name, string animal) => rng.Below(7) switch
{
    0 => $"{Pick(times)}, {name} {Pick(motion)} {Pick(places)}.",
    1 => $"The {Pick(adjectives)} {animal} {Pick(pastVerbs)} a {Pick(colours)} {Pick(objects)}.",
    2 => $"{name} {Pick(pastVerbs)} the {Pick(objects)} near {Pick(places)}.",
    3 => $"{Pick(weather)}, so {name} felt {Pick(feelings)}.",
    4 => $"There were {2 + rng.Below(8)} {Pick(colours)} {Pick(objects)}s in {Pick(places)}.",
    5 => $"\"Where is my {Pick(objects)}?\" asked {name}, and the {animal} looked {Pick(feelings)}.",
    _ => $"{name} and the {animal} {Pick(motion)} {Pick(places)} together.",
};

var output = new StringBuilder();
for (int d = 0; d < Documents; d++)
{
    string name = Pick(names), animal = Pick(animals);
    int sentences = 3 + rng.Below(5);
    var paragraph = new List<string>();
    for (int s = 0; s < sentences; s++) paragraph.Add(Sentence(name, animal));
    // As json.dumps writes it: a space after the colon; the text is ASCII, so only quotes and backslashes are escaped.
    output.Append("{\"text\": \"").Append(string.Join(' ', paragraph).Replace("\\", "\\\\").Replace("\"", "\\\"")).Append("\"}\n");
}
File.WriteAllText(args[0], output.ToString(), new UTF8Encoding(false));
return 0;

/// <summary>CPython's random.Random for what this program draws: MT19937 seeded from an int, and randbelow.</summary>
internal sealed class PythonRandom
{
    private readonly uint[] _state = new uint[624];
    private int _index = 624;

    /// <summary>random.seed(n) for 0 ≤ n &lt; 2^32: init_by_array with the int's one 32-bit word.</summary>
    public PythonRandom(uint seed)
    {
        _state[0] = 19650218;
        for (int i = 1; i < 624; i++) _state[i] = 1812433253u * (_state[i - 1] ^ (_state[i - 1] >> 30)) + (uint)i;
        uint[] key = [seed];
        int j = 0, k = 624, index = 1;
        for (; k > 0; k--)
        {
            _state[index] = (_state[index] ^ ((_state[index - 1] ^ (_state[index - 1] >> 30)) * 1664525u)) + key[j] + (uint)j;
            index++;
            j++;
            if (index >= 624) { _state[0] = _state[623]; index = 1; }
            if (j >= key.Length) j = 0;
        }
        for (k = 623; k > 0; k--)
        {
            _state[index] = (_state[index] ^ ((_state[index - 1] ^ (_state[index - 1] >> 30)) * 1566083941u)) - (uint)index;
            index++;
            if (index >= 624) { _state[0] = _state[623]; index = 1; }
        }
        _state[0] = 0x80000000u;
    }

    /// <summary>random._randbelow(n): draw n.bit_length() bits until the value is below n.</summary>
    public int Below(int n)
    {
        int bits = 32 - System.Numerics.BitOperations.LeadingZeroCount((uint)n);
        while (true)
        {
            uint r = Next() >> (32 - bits);
            if (r < (uint)n) return (int)r;
        }
    }

    private uint Next()
    {
        if (_index >= 624)
        {
            for (int i = 0; i < 624; i++)
            {
                uint y = (_state[i] & 0x80000000u) | (_state[(i + 1) % 624] & 0x7fffffffu);
                _state[i] = _state[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908b0dfu : 0);
            }
            _index = 0;
        }
        uint x = _state[_index++];
        x ^= x >> 11;
        x ^= (x << 7) & 0x9d2c5680u;
        x ^= (x << 15) & 0xefc60000u;
        x ^= x >> 18;
        return x;
    }
}
