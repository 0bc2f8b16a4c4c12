using System.Security.Cryptography;
using System.Text;

namespace Myna.Server.Security;

/// <summary>
/// The API keys a server accepts, held only as SHA-256 digests and compared in constant time
/// (<see cref="CryptographicOperations.FixedTimeEquals"/>), so neither memory dumps nor response timing reveal them.
/// </summary>
public sealed class ApiKeySet
{
    /// <summary>The environment variable with comma-separated keys.</summary>
    public const string EnvironmentVariable = "MYNA_API_KEYS";

    private readonly byte[][] _digests;

    /// <summary>A set of <paramref name="keys"/> (surrounding whitespace is not part of a key).</summary>
    public ApiKeySet(IEnumerable<string> keys)
    {
        _digests = keys.Select(k => k.Trim()).Where(k => k.Length > 0).Distinct(StringComparer.Ordinal).Select(Digest).ToArray();
    }

    /// <summary>Whether no key is set (the server is open).</summary>
    public bool IsEmpty => _digests.Length == 0;

    /// <summary>How many distinct keys are set.</summary>
    public int Count => _digests.Length;

    /// <summary>Whether <paramref name="key"/> is one of the keys. Every digest is compared, so the time does not depend on which matched.</summary>
    public bool Contains(string? key)
    {
        if (string.IsNullOrEmpty(key)) return false;
        byte[] digest = Digest(key);
        bool found = false;
        foreach (byte[] candidate in _digests) found |= CryptographicOperations.FixedTimeEquals(candidate, digest);
        return found;
    }

    /// <summary>
    /// The keys from every source <c>myna serve</c> reads: <c>--api-key</c> values, an <c>--api-key-file</c> (one key per
    /// line; blank lines and lines starting with # are skipped) and <see cref="EnvironmentVariable"/> (comma-separated).
    /// A blank <paramref name="keys"/> value is kept, for <see cref="ServerOptions.Validate"/> to refuse: dropped here, an
    /// unset shell variable in <c>--api-key "$KEY"</c> would serve with no key while the operator believes there is one.
    /// </summary>
    /// <exception cref="FileNotFoundException">The key file does not exist.</exception>
    public static IReadOnlyList<string> Gather(IEnumerable<string>? keys, string? keyFile, string? environmentValue)
    {
        var all = new List<string>(keys ?? []);
        if (keyFile is not null)
        {
            int before = all.Count;
            all.AddRange(File.ReadAllLines(keyFile).Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')));
            if (all.Count == before) throw new InvalidDataException($"--api-key-file '{keyFile}' holds no key (one per line; # starts a comment).");
        }
        if (!string.IsNullOrWhiteSpace(environmentValue)) all.AddRange(environmentValue.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return all.Select(k => k.Trim()).ToList();
    }

    /// <summary>
    /// The key id the audit log and rate limits know a key by: the first 8 hex digits of its SHA-256 — enough to tell
    /// keys apart and match a log line to a key you hold, far too little to recover the key.
    /// </summary>
    public static string KeyId(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(Digest(key.Trim()))[..8];
    }

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
