using Myna.Cli;
using Myna.Tests.Generation;

namespace Myna.Tests.Cli;

public class ChatCommandTests(TinyModelDirectory model) : IClassFixture<TinyModelDirectory>
{
    private static (int Code, string Output) Chat(string model, string typed)
    {
        var output = new StringWriter();
        int code = MynaApp.Run(["chat", "--model", model, "--temperature", "0", "--max-new-tokens", "6"], output, new StringWriter(), new StringReader(typed));
        return (code, output.ToString());
    }

    [Fact]
    public void AnswersEachTurnAndExits()
    {
        (int code, string output) = Chat(model.Path, "Hello\nHow are you?\n/exit\nnever read\n");
        Assert.Equal(0, code);
        Assert.Equal(3, output.Split("you> ").Length - 1);
        Assert.Equal(2, output.Split("myna> ").Length - 1);
    }

    [Fact]
    public void ResetForgetsTheConversationSoTheSameQuestionGetsTheSameGreedyAnswer()
    {
        (_, string output) = Chat(model.Path, "Hello\n/reset\nHello\n");
        string[] replies = output.Split("myna> ")[1..].Select(r => r.Split('\n')[0]).ToArray();
        Assert.Equal(2, replies.Length);
        Assert.Equal(replies[0], replies[1]);
        Assert.Contains("(conversation reset)", output);
    }
}
