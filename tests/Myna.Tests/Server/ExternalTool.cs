namespace Myna.Tests.Server;

/// <summary>A program some server tests drive that is not a NuGet package; <c>.ci/run</c> installs each one.</summary>
public enum ExternalTool
{
    /// <summary>Debian's <c>chromium</c> and <c>chromium-driver</c> (the playground test).</summary>
    Chromium,

    /// <summary>Node.js 20 or later (the playground's script tests).</summary>
    Node,

    /// <summary>Node.js with the <c>openai</c> package installed by <c>npm ci</c> in tests/node (the Node SDK test).</summary>
    NodeOpenAiSdk,
}
