namespace Myna.Bench.Serving;

/// <summary>
/// One load run: <paramref name="Concurrency"/> clients, each sending its next request as soon as the last one ended
/// (a closed loop), until <paramref name="Requests"/> have been sent or <paramref name="Duration"/> has passed;
/// requests still in flight then get <paramref name="Grace"/> more to finish.
/// </summary>
/// <param name="Model">The model id requests name.</param>
/// <param name="Concurrency">Clients sending at once.</param>
/// <param name="Requests">Requests in all (<see cref="int.MaxValue"/>: as many as <paramref name="Duration"/> allows).</param>
/// <param name="Duration">No request is sent after this.</param>
/// <param name="Grace">How long requests in flight may still take after <paramref name="Duration"/>; then they are cancelled and count as lost.</param>
/// <param name="PromptTokens">Each request's prompt length (random ids, a different prompt per request).</param>
/// <param name="NewTokens">Tokens each request asks for.</param>
/// <param name="PromptIdLimit">Prompt ids are below this (the end-of-text id).</param>
/// <param name="Seed">Seed of the prompts.</param>
public sealed record LoadPlan(string Model, int Concurrency, int Requests, TimeSpan Duration, TimeSpan Grace, int PromptTokens, int NewTokens, int PromptIdLimit, ulong Seed);
