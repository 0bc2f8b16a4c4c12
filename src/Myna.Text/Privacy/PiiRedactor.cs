using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Myna.Text.Privacy;

/// <summary>Finds and replaces personal data and secrets with typed placeholders (<see cref="PiiType"/>).
/// Built for precision as much as recall: every candidate must pass a structural check (checksums for identity and
/// card numbers, address parsing for IPs, digit counts and separators for phones), so ordinary numbers, dates, prices,
/// versions and times stay. Detectors run from the most specific to the least; a later match never overlaps an earlier one.</summary>
public sealed partial class PiiRedactor
{
    /// <summary>Query parameters whose value is a secret: a URL carrying one is replaced whole.</summary>
    private static readonly HashSet<string> SecretParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "token", "access_token", "refresh_token", "id_token", "auth", "auth_token", "authtoken", "api_key", "apikey",
        "api-key", "key", "secret", "client_secret", "password", "passwd", "pwd", "pass", "sig", "signature",
        "x-amz-signature", "x-amz-credential", "x-amz-security-token", "sessionid", "session_id", "sid", "jwt", "private_token",
    };

    /// <summary>Chinese resident ID checksum weights (GB 11643-1999).</summary>
    private static readonly int[] IdWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

    /// <summary>Redacts every type in <see cref="PiiTypes.All"/>.</summary>
    public RedactionResult Redact(string text) => Redact(text, PiiTypes.All);

    /// <summary>Redacts the given types only.</summary>
    public RedactionResult Redact(string text, IReadOnlyCollection<PiiType> types)
    {
        var matches = new List<PiiMatch>();
        int digits = 0, dots = 0;
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c)) digits++;
            else if (c == '.') dots++;
        }
        foreach (PiiType type in PiiTypes.All)
        {
            if (!types.Contains(type)) continue;
            // Cheap pre-checks: most text has no '@', no "://", and too few digits for any number-shaped type.
            bool possible = type switch
            {
                PiiType.UrlCredentials => text.Contains("://", StringComparison.Ordinal),
                PiiType.Email => text.Contains('@', StringComparison.Ordinal),
                PiiType.CnId => digits >= 17,
                PiiType.Card => digits >= 13,
                PiiType.Ip => digits >= 2 && (dots >= 3 || text.Contains(':', StringComparison.Ordinal)),
                PiiType.Phone => digits >= 7,
                _ => true,
            };
            if (!possible) continue;
            foreach (PiiMatch match in Find(type, text))
                if (!matches.Any(m => match.Start < m.Start + m.Length && m.Start < match.Start + match.Length))
                    matches.Add(match);
        }
        if (matches.Count == 0) return new RedactionResult(text, matches);

        matches.Sort((a, b) => a.Start.CompareTo(b.Start));
        var output = new StringBuilder(text.Length);
        int at = 0;
        foreach (PiiMatch match in matches)
        {
            output.Append(text, at, match.Start - at).Append(match.Type.Placeholder());
            at = match.Start + match.Length;
        }
        output.Append(text, at, text.Length - at);
        return new RedactionResult(output.ToString(), matches);
    }

    private static IEnumerable<PiiMatch> Find(PiiType type, string text) => type switch
    {
        PiiType.UrlCredentials => Matches(type, UrlPattern(), text, IsSecretUrl, TrimUrl),
        PiiType.Email => Matches(type, EmailPattern(), text, _ => true),
        PiiType.CnId => Matches(type, CnIdPattern(), text, IsValidCnId),
        PiiType.Card => Matches(type, CardPattern(), text, IsValidCard),
        // IPv6 first: an IPv4-mapped address (::ffff:192.0.2.1) is one address, not an IPv4 inside junk.
        PiiType.Ip => Matches(type, Ipv6Pattern(), text, IsValidIpv6)
            .Concat(Matches(type, Ipv4Pattern(), text, _ => true).Where(m => !LooksLikeVersion(text, m)))
            .Where(m => !PrecededByVersionWord(text, m.Start)),
        PiiType.Phone => Matches(type, PhonePattern(), text, IsPlausiblePhone),
        _ => [],
    };

    private static IEnumerable<PiiMatch> Matches(PiiType type, Regex pattern, string text, Func<string, bool> accept,
        Func<string, string>? trim = null)
    {
        for (Match m = pattern.Match(text); m.Success; m = m.NextMatch())
        {
            string value = trim is null ? m.Value : trim(m.Value);
            if (value.Length > 0 && accept(value)) yield return new PiiMatch(type, m.Index, value.Length, value);
        }
    }

    // ── URLs ──────────────────────────────────────────────────────────────────────────────────────────────────

    /// <summary>Sentence punctuation after a URL belongs to the sentence.</summary>
    private static string TrimUrl(string url) => url.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '}', '\'', '"', '。', '，', '；', '）');

    private static bool IsSecretUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri)) return false;
        if (uri.UserInfo.Length > 0) return true;
        if (SecretPath().IsMatch(uri.AbsolutePath)) return true;
        foreach (string pair in (uri.Query.TrimStart('?') + "&" + uri.Fragment.TrimStart('#')).Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) continue;
            string name = Uri.UnescapeDataString(pair[..eq]);
            string value = pair[(eq + 1)..];
            // A secret value is long; "key=1" or "sort=asc" are not secrets.
            if (SecretParameters.Contains(name) && value.Length >= 6) return true;
        }
        return false;
    }

    // ── Identity and card numbers ─────────────────────────────────────────────────────────────────────────────

    /// <summary>True when the 18-character ID has a real region prefix, a real date and a valid checksum.</summary>
    public static bool IsValidCnId(string id)
    {
        if (id.Length != 18) return false;
        int region = (id[0] - '0') * 10 + (id[1] - '0');
        if (region is < 11 or > 82) return false;
        int year = int.Parse(id.AsSpan(6, 4)), month = int.Parse(id.AsSpan(10, 2)), day = int.Parse(id.AsSpan(12, 2));
        if (year < 1900 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        int sum = 0;
        for (int i = 0; i < 17; i++) sum += (id[i] - '0') * IdWeights[i];
        char check = "10X98765432"[sum % 11];
        return char.ToUpperInvariant(id[17]) == check;
    }

    /// <summary>Region code and birth date where a Chinese resident ID has them (checksum aside).</summary>
    private static bool LooksLikeCnId(string digits)
    {
        int region = (digits[0] - '0') * 10 + (digits[1] - '0');
        int year = int.Parse(digits.AsSpan(6, 4)), month = int.Parse(digits.AsSpan(10, 2)), day = int.Parse(digits.AsSpan(12, 2));
        return region is >= 11 and <= 82 && year is >= 1900 and <= 2099 && month is >= 1 and <= 12 && day is >= 1 and <= 31;
    }

    /// <summary>True for 13-19 digits (separated by nothing, or consistently by spaces or dashes in groups) with a
    /// card-network prefix and length (<see cref="HasCardPrefix"/>) and a valid Luhn checksum.</summary>
    public static bool IsValidCard(string candidate)
    {
        string digits = new(candidate.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length is < 13 or > 19) return false;
        if (!HasCardPrefix(digits)) return false;
        if (digits.Length == 18 && candidate.Length == 18 && LooksLikeCnId(digits)) return false; // an ID with a typo, not a card
        if (digits.Distinct().Count() == 1) return false; // 0000 0000 0000 0000 is a placeholder, not a card
        bool spaced = candidate.Contains(' ', StringComparison.Ordinal), dashed = candidate.Contains('-', StringComparison.Ordinal);
        if (spaced && dashed) return false;
        if (spaced || dashed)
        {
            char separator = spaced ? ' ' : '-';
            int[] groups = candidate.Split(separator).Select(g => g.Length).ToArray();
            bool fours = groups.Take(groups.Length - 1).All(g => g == 4) && groups[^1] is >= 1 and <= 4;
            bool amex = groups is [4, 6, 5] or [4, 6, 4];
            if (!fours && !amex) return false;
        }
        return Luhn(digits);
    }

    /// <summary>Issuer prefixes and lengths of the major networks (ISO/IEC 7812 IIN ranges as the networks publish them):
    /// Visa 4 (13, 16, 19), Mastercard 51-55 and 2221-2720 (16), Amex 34/37 (15), Diners 300-305/36/38/39 (14-19),
    /// JCB 3528-3589 (16-19), Discover 6011/644-649/65 (16-19), UnionPay 62 (16-19). A 14-digit timestamp such as
    /// 20200402015712 passes Luhn one time in ten but starts with no card prefix.</summary>
    private static bool HasCardPrefix(string d)
    {
        int n = d.Length;
        int p2 = int.Parse(d.AsSpan(0, 2)), p3 = int.Parse(d.AsSpan(0, 3)), p4 = int.Parse(d.AsSpan(0, 4));
        if (d[0] == '4') return n is 13 or 16 or 19;
        if (p2 is >= 51 and <= 55 || p4 is >= 2221 and <= 2720) return n == 16;
        if (p2 is 34 or 37) return n == 15;
        if (p3 is >= 300 and <= 305 || p2 is 36 or 38 or 39) return n is >= 14 and <= 19;
        if (p4 is >= 3528 and <= 3589) return n is >= 16 and <= 19;
        if (p4 == 6011 || p3 is >= 644 and <= 649 || p2 is 65 or 62) return n is >= 16 and <= 19;
        return false;
    }

    /// <summary>The Luhn (mod 10) checksum used by payment cards.</summary>
    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        int sum = 0;
        bool doubled = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int d = digits[i] - '0';
            if (doubled && (d *= 2) > 9) d -= 9;
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }

    // ── IP addresses ──────────────────────────────────────────────────────────────────────────────────────────

    private static bool IsValidIpv6(string candidate)
    {
        if (!candidate.Contains("::", StringComparison.Ordinal) && candidate.Count(c => c == ':') < 7) return false;
        if (!candidate.Any(char.IsAsciiDigit)) return false; // a::b, dead::beef read as code, not addresses
        if (candidate.Split(':', StringSplitOptions.RemoveEmptyEntries).Length < 2) return false;
        return IPAddress.TryParse(candidate, out IPAddress? address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    /// <summary>A dotted quad of small numbers ("3.9.6.0", Debian's Standards-Version) is a version unless the text
    /// around it talks about addresses; quads with a two- or three-digit first part (10.0.0.1, 192.168.1.5) are addresses.</summary>
    private static bool LooksLikeVersion(string text, PiiMatch match)
    {
        string[] parts = match.Value.Split('.');
        if (parts[0].Length > 1 || parts.Any(p => p.Length > 2)) return false;
        int from = Math.Max(0, match.Start - 40);
        string around = text.Substring(from, Math.Min(text.Length, match.Start + match.Length + 20) - from);
        return !IpContext().IsMatch(around);
    }

    [GeneratedRegex(@"(?i)\b(ip|ipv4|address|addr|host|server|dns|gateway|ping|connect\w*|login|client|subnet|route|nameserver)\b|地址|服务器|网关|登录")]
    private static partial Regex IpContext();

    /// <summary>"version 1.2.3.4", "v10.0.0.1", "版本 2.3.0.1": a dotted version, not an address.</summary>
    private static bool PrecededByVersionWord(string text, int start)
    {
        int end = start;
        while (end > 0 && char.IsWhiteSpace(text[end - 1])) end--;
        int begin = end;
        while (begin > 0 && char.IsLetter(text[begin - 1])) begin--;
        string word = text[begin..end];
        return word.Equals("version", StringComparison.OrdinalIgnoreCase) || word.Equals("ver", StringComparison.OrdinalIgnoreCase)
            || word.Equals("v", StringComparison.OrdinalIgnoreCase) || word.EndsWith("版本", StringComparison.Ordinal)
            || word.EndsWith("版本号", StringComparison.Ordinal);
    }

    // ── Phones ────────────────────────────────────────────────────────────────────────────────────────────────

    private static bool IsPlausiblePhone(string candidate)
    {
        int digits = candidate.Count(char.IsAsciiDigit);
        if (candidate.StartsWith('+')) return digits is >= 8 and <= 15;
        if (candidate.StartsWith("00", StringComparison.Ordinal)) return digits is >= 10 and <= 16;
        return digits is >= 10 and <= 13;
    }

    // Webhook URLs whose path is the secret (Slack /services/T../B../token, Discord and others /webhooks/id/token).
    [GeneratedRegex(@"^/(services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{16,}|(api/)?webhooks/\d+/[A-Za-z0-9_-]{30,})")]
    private static partial Regex SecretPath();

    // Any scheme URL; the secret check parses it.
    [GeneratedRegex(@"\b[a-zA-Z][a-zA-Z0-9+.-]{1,15}://[^\s<>""'，。；）]+")]
    private static partial Regex UrlPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9._%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"(?<![0-9A-Za-z])[1-8]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")]
    private static partial Regex CnIdPattern();

    // Not inside a longer run of letters or digits (a hex commit hash holds digit runs that can pass Luhn).
    [GeneratedRegex(@"(?<![0-9A-Za-z.,-])(?:\d{4}[ -]?){2,4}\d{1,4}(?:[ -]?\d{1,3})?(?![0-9A-Za-z-]|[.,]\d)")]
    private static partial Regex CardPattern();

    [GeneratedRegex(@"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d]|\.\d|/\d)")]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"(?<![0-9A-Za-z:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?![0-9A-Za-z:])")]
    private static partial Regex Ipv6Pattern();

    // Alternatives, most specific first (boundaries are ASCII-only: Chinese text puts digits right next to characters):
    //   Chinese mobile with country code: +86 138 0013 8000, 0086-13800138000, 86 13800138000
    //   +country code then 2-5 groups (e.g. +1 (415) 555-0132, +44 20 7946 0958)
    //   00 international prefix (0044 20 7946 0958)
    //   Chinese mobile 1[3-9]x xxxx xxxx; not followed by a unit of money or count (13800000000元 is an amount)
    //   Chinese landline 0xx(x)-xxxxxxx(x)
    //   North American (xxx) xxx-xxxx or xxx-xxx-xxxx / xxx.xxx.xxxx (separators required: bare 10-digit runs are ids)
    [GeneratedRegex(@"(?<![A-Za-z0-9_+.~:-])(?:(?:\+|00)?86[ -]?1[3-9]\d(?:[ -]?\d{4}){2}|\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,5}|00\d{1,3}(?:[ .-]\d{1,5}){2,5}|1[3-9]\d(?:[ -]?\d{4}){2}(?![ ]?(?:元|块|美元|人|个|次|万|亿|%))|0\d{2,3}-\d{7,8}|\(\d{3}\)[ ]?\d{3}[ .-]\d{4}|\d{3}([.-])\d{3}\1\d{4})(?![A-Za-z0-9_+~-]|[.,]\d)")]
    private static partial Regex PhonePattern();
}
