namespace Myna.Tests.Server;

/// <summary>
/// A fact that needs <see cref="ExternalTool"/>: skipped with the reason when the tool is missing outside CI, run (and
/// so failed by <see cref="ExternalTools.Require"/>) when it is missing in CI. xunit 2 decides skips when it discovers
/// tests, which is when this attribute is built.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ExternalToolFactAttribute : FactAttribute
{
    public ExternalToolFactAttribute(ExternalTool tool)
    {
        if (!ExternalTools.InContinuousIntegration && ExternalTools.Missing(tool) is { } reason) Skip = $"{reason} (outside CI this skips; in CI it fails)";
    }
}
