namespace Myna.Text.Privacy;

/// <summary>The kinds of personal or secret data Myna redacts, each with its placeholder.</summary>
public enum PiiType
{
    /// <summary>A URL carrying credentials (user:password@) or a secret query parameter (token, key, signature...).</summary>
    UrlCredentials,
    /// <summary>An e-mail address.</summary>
    Email,
    /// <summary>A Chinese resident identity card number (18 characters, valid checksum).</summary>
    CnId,
    /// <summary>A payment card number (13-19 digits, valid Luhn checksum, a card-network prefix).</summary>
    Card,
    /// <summary>An IPv4 or IPv6 address.</summary>
    Ip,
    /// <summary>A phone number: international (+country code), Chinese mobile or landline, North American.</summary>
    Phone,
}

/// <summary>Placeholders and report names of <see cref="PiiType"/>.</summary>
public static class PiiTypes
{
    /// <summary>All types, in the order the redactor applies them (the more specific first).</summary>
    public static readonly PiiType[] All = [PiiType.UrlCredentials, PiiType.Email, PiiType.CnId, PiiType.Card, PiiType.Ip, PiiType.Phone];

    /// <summary>The placeholder that replaces a match, e.g. <c>&lt;EMAIL&gt;</c>.</summary>
    public static string Placeholder(this PiiType type) => "<" + Name(type) + ">";

    /// <summary>The upper-case name used in placeholders and reports, e.g. EMAIL, CN_ID.</summary>
    public static string Name(this PiiType type) => type switch
    {
        PiiType.UrlCredentials => "URL_CREDENTIALS",
        PiiType.Email => "EMAIL",
        PiiType.CnId => "CN_ID",
        PiiType.Card => "CARD",
        PiiType.Ip => "IP",
        PiiType.Phone => "PHONE",
        _ => type.ToString().ToUpperInvariant(),
    };

    /// <summary>Parses a name produced by <see cref="Name"/>.</summary>
    public static PiiType Parse(string name) => All.First(t => t.Name() == name);
}
