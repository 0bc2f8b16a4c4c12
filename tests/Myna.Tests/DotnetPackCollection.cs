namespace Myna.Tests;

/// <summary>The tests that run <c>dotnet pack</c> over the repository's projects: one at a time, never two builds in the same folders.</summary>
[CollectionDefinition(Name)]
public sealed class DotnetPackCollection
{
    public const string Name = "dotnet pack";
}
