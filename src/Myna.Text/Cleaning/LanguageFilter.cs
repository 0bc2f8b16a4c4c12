namespace Myna.Text.Cleaning;

/// <summary>The <c>--lang</c> choice.</summary>
public enum LanguageFilter
{
    /// <summary>Keep every language.</summary>
    Auto,
    /// <summary>Keep English (Latin-script) documents only.</summary>
    English,
    /// <summary>Keep Chinese (Han-script) documents only.</summary>
    Chinese,
}
