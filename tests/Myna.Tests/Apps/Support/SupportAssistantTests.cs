using Myna.Apps.Support;

namespace Myna.Tests.Apps.Support;

public sealed class SupportAssistantTests
{
    private static readonly FaqKnowledgeBase Faq = SupportFixtures.Faq();

    /// <summary>Thresholds fixed here so these tests check behaviour, not the dev-tuned numbers of the real FAQ.</summary>
    private static readonly SupportOptions Lenient = new() { Bm25Handoff = PerLanguage<HandoffPolicy>.Both(new(MinScore: 0.5, MinCoverage: 0.3)) };

    [Fact]
    public void Answers_in_the_users_language_from_the_matched_entry_with_sources()
    {
        using var assistant = new SupportAssistant(Faq, Lenient);
        SupportAnswer en = assistant.Ask("How do I upgrade to the next Debian release?");
        Assert.False(en.Handoff);
        Assert.Equal("en", en.Lang);
        Assert.Equal("howtocurrent", en.EntryId);
        Assert.Equal(Faq.Find("howtocurrent", "en")!.Answer, en.Answer);
        Assert.Equal("howtocurrent", en.Sources[0].Id);
        Assert.Equal(en.Sources[0].Score, en.Confidence.Score);
        Assert.Equal(en.Sources[0].Score - en.Sources[1].Score, en.Confidence.Margin, 9);

        SupportAnswer zh = assistant.Ask("如何升级到下一个 Debian 版本？");
        Assert.Equal("zh", zh.Lang);
        Assert.Equal("howtocurrent", zh.EntryId);
        Assert.Equal(Faq.Find("howtocurrent", "zh")!.Answer, zh.Answer);
    }

    [Fact]
    public void Out_of_scope_questions_hand_off_without_inventing_an_answer()
    {
        using var assistant = new SupportAssistant(Faq); // the shipped thresholds
        foreach (string question in new[] { "How do I reset my Netflix password?", "我的信用卡账单有问题，怎么退款？", "hello!" })
        {
            SupportAnswer answer = assistant.Ask(question);
            Assert.True(answer.Handoff, question);
            Assert.Null(answer.EntryId);
            Assert.Equal(assistant.Options.HandoffMessage(answer.Lang), answer.Answer);
            Assert.DoesNotContain(Faq.Entries, e => e.Answer == answer.Answer);
        }
    }

    [Fact]
    public void A_weak_match_below_the_thresholds_hands_off()
    {
        // "release" matches the upgrade entry, but covers little of this question: coverage decides.
        var strict = new SupportOptions { Bm25Handoff = PerLanguage<HandoffPolicy>.Both(new(MinScore: 0, MinCoverage: 0.6)) };
        using var assistant = new SupportAssistant(Faq, strict);
        SupportAnswer answer = assistant.Ask("When is the next release of my favourite video game?");
        Assert.NotEmpty(answer.Sources);
        Assert.True(answer.Confidence.Coverage < 0.6);
        Assert.True(answer.Handoff);
        using var lenient = new SupportAssistant(Faq, new SupportOptions { Bm25Handoff = PerLanguage<HandoffPolicy>.Both(new(0, 0)) });
        Assert.False(lenient.Ask("When is the next release of my favourite video game?").Handoff);
    }

    [Fact]
    public void A_short_follow_up_carries_the_previous_entry()
    {
        using var assistant = new SupportAssistant(Faq, Lenient);
        // Alone, the follow-up matches nothing and is handed off.
        Assert.True(assistant.Ask("How long does that take?").Handoff);

        Assert.Equal("kernel", assistant.Ask("How do I build a custom kernel?", "s1").EntryId);
        SupportAnswer followUp = assistant.Ask("How long does that take?", "s1");
        Assert.True(followUp.FollowUp);
        Assert.False(followUp.Handoff);
        Assert.Equal("kernel", followUp.EntryId);

        // Another session has no previous entry; a full new question in the same session is not a follow-up.
        Assert.True(assistant.Ask("How long does that take?", "s2").Handoff);
        SupportAnswer next = assistant.Ask("Where can I download installation images for a USB stick?", "s1");
        Assert.False(next.FollowUp);
        Assert.Equal("cdimages", next.EntryId);
        Assert.Equal(["kernel", "kernel", "cdimages"], assistant.Sessions.Find("s1")!.Turns.Select(t => t.EntryId));
    }

    [Fact]
    public void Follow_ups_are_answered_in_their_own_language()
    {
        using var assistant = new SupportAssistant(Faq, Lenient);
        Assert.Equal("kernel", assistant.Ask("How do I build a custom kernel?", "mixed").EntryId);
        SupportAnswer zh = assistant.Ask("需要多久？", "mixed");
        Assert.True(zh.FollowUp);
        Assert.Equal("zh", zh.Lang);
        Assert.Equal(Faq.Find("kernel", "zh")!.Answer, zh.Answer);
    }

    [Fact]
    public void User_messages_are_redacted_before_they_are_logged_or_kept()
    {
        using var assistant = new SupportAssistant(Faq, Lenient);
        var logged = new List<SupportTurn>();
        assistant.TurnLogged += logged.Add;
        const string Message = "My email is jane.doe@example.com and my phone is +1 415 555 0100: how do I report a bug?";
        SupportAnswer answer = assistant.Ask(Message, "pii");
        Assert.Equal("bugreport", answer.EntryId);
        SupportTurn turn = Assert.Single(logged);
        Assert.DoesNotContain("jane.doe@example.com", turn.RedactedMessage);
        Assert.DoesNotContain("555 0100", turn.RedactedMessage);
        Assert.Contains("<EMAIL>", turn.RedactedMessage);
        Assert.Contains("how do I report a bug?", turn.RedactedMessage);
        Assert.Equal("pii", turn.SessionId);
        Assert.Equal("bugreport", turn.EntryId);
        Assert.Equal(turn.RedactedMessage, Assert.Single(assistant.Sessions.Find("pii")!.Turns).RedactedMessage);
    }

    [Fact]
    public void Empty_and_overlong_messages_are_refused()
    {
        using var assistant = new SupportAssistant(Faq, new SupportOptions { MaxMessageChars = 50 });
        Assert.Throws<ArgumentException>(() => assistant.Ask("   "));
        Assert.Contains("at most 50", Assert.Throws<ArgumentException>(() => assistant.Ask(new string('a', 51))).Message);
    }
}
