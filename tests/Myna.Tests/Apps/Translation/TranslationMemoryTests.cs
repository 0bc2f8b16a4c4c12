using Myna.Apps.Translation;

namespace Myna.Tests.Apps.Translation;

/// <summary>The translation-memory baseline: the target of the BM25-nearest source.</summary>
public sealed class TranslationMemoryTests
{
    private static readonly TranslationPair[] Memory =
    [
        new("m/0", "Save the document before closing the window", "关闭窗口之前保存文档", "test"),
        new("m/1", "Delete all comments by this author", "删除此作者的所有批注", "test"),
        new("m/2", "The kernel talks to the hardware", "内核与硬件通信", "test"),
    ];

    [Fact]
    public void Returns_the_target_of_the_nearest_source()
    {
        using var memory = new TranslationMemory(Memory);
        Assert.Equal(3, memory.Count);
        Assert.Equal("删除此作者的所有批注", memory.Lookup("Delete every comment of an author"));
        Assert.Equal("内核与硬件通信", memory.Lookup("How does the kernel use hardware?"));
        Assert.Equal(["关闭窗口之前保存文档", "删除此作者的所有批注"], memory.Translate(["saving documents", "comments"]));
    }

    [Fact]
    public void A_source_with_no_known_term_gets_an_empty_translation()
    {
        using var memory = new TranslationMemory(Memory);
        Assert.Equal("", memory.Lookup("the of and"));
        Assert.Equal("", memory.Lookup("zebra giraffe"));
    }

    [Fact]
    public void An_empty_memory_is_refused() =>
        Assert.Throws<ArgumentException>(() => new TranslationMemory([]));

    [Fact]
    public void Copy_source_returns_the_english()
    {
        Assert.Equal(["a b", ""], new CopySourceBaseline().Translate(["a b", ""]));
    }
}
