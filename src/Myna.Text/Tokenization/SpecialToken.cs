namespace Myna.Text.Tokenization;

/// <summary>A token matched as a whole string before BPE, such as <c>&lt;|endoftext|&gt;</c>.</summary>
/// <param name="Content">The exact text of the token.</param>
/// <param name="Id">Its id in the vocabulary.</param>
public sealed record SpecialToken(string Content, int Id);
