namespace Myna.Apps.Recommendation;

/// <summary>What a ratings reader does with a row it cannot parse.</summary>
public enum MalformedRows
{
    /// <summary>Stop with an error naming the file and line (the default: nothing is dropped unless asked).</summary>
    Fail,

    /// <summary>Skip the row, count it and keep its line number for the report.</summary>
    Drop,
}
