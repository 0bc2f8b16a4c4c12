using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Myna.Cli.Commands.Train;
using Myna.Training;

namespace Myna.Cli.Commands;

/// <summary><c>myna train</c>: train a GPT from scratch or fine-tune one on token shards, with resumable checkpoints.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var flags = new TrainFlags();
        var config = new Option<string>("--config") { Description = "JSON file of options, keyed by the flag names (e.g. {\"batch-size\": 16, \"lr\": 3e-4}); flags override it." };
        var resume = new Option<bool>("--resume") { Description = "Continue the checkpoint in --out exactly where it stopped (its saved options, overridden by --config and flags)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object at the end: {\"step\",\"train_loss\",\"val_loss\",\"val_ppl\",\"heldout_ppl\",\"heldout\",\"tokens_per_s\",\"checkpoint\"}; progress goes to stderr." };

        var command = new Command("train",
            "Train a GPT on token shards from `myna shard`: AdamW with warm-up and cosine decay, validation loss every --eval-interval steps, " +
            "crash-safe checkpoints in OUT/last (resumable) and OUT/best (lowest validation loss), metrics.jsonl, loss.png and report.md in OUT. " +
            "Validation also runs before the first step, so the log shows where the run started. Ctrl+C saves a checkpoint and exits with 130; " +
            "--resume continues bit for bit (a new --max-steps or --lr is stated as the learning-rate change it makes).\n\n" +
            "Examples:\n" +
            "  myna train --data data/shards --out runs/tiny --preset tiny --max-steps 500\n" +
            "  myna train --data data/shards --out runs/tiny --resume\n" +
            "  myna train --data data/shards-gpt2 --out runs/ft --init-from models/gpt2 --lr 1e-4 --max-steps 200 --json")
        {
            config, resume, json,
        };
        flags.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(resume) && result.GetResult(flags.InitFrom) is not null)
                result.AddError("--resume continues the checkpoint in --out; --init-from starts a new run from a model: give one of them");
        });

        command.SetAction(parsed =>
        {
            TextWriter stdout = parsed.InvocationConfiguration.Output;
            TextWriter stderr = parsed.InvocationConfiguration.Error;
            bool asJson = parsed.GetValue(json);
            bool resuming = parsed.GetValue(resume);
            TrainingOptions options;
            try
            {
                options = resuming
                    ? Trainer.SavedOptions(parsed.GetValue(flags.Out) ?? throw new CliException("--resume needs --out, the folder of the run to continue.", MynaApp.UsageError))
                    : new TrainingOptions();
                if (parsed.GetValue(config) is string file) options = options.WithConfigFile(file);
                options = flags.Apply(parsed, options);
                options.Validate();
            }
            catch (TrainingOptionsException ex)
            {
                throw new CliException(ex.Message + " (see 'myna train --help')", ex.IsUsage ? MynaApp.UsageError : MynaApp.Failure, ex);
            }

            // Ctrl+C and SIGTERM stop at the next step boundary; the trainer then saves a checkpoint. A second Ctrl+C kills.
            using var stop = new CancellationTokenSource();
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                if (stop.IsCancellationRequested) return;
                e.Cancel = true;
                stop.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            using PosixSignalRegistration onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            try
            {
                bool interactive = !asJson && ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
                TrainingResult result = interactive
                    ? TrainProgressDisplay.RunLive(options, resuming, stdout, stop.Token)
                    : new Trainer(options, progress => (asJson ? stderr : stdout).WriteLine(TrainProgressDisplay.PlainLine(progress))).Run(resuming, stop.Token);
                foreach (string note in result.Notes) stderr.WriteLine($"note: {note}");
                if (asJson)
                {
                    stdout.WriteLine(JsonSerializer.Serialize(new
                    {
                        step = result.Step,
                        train_loss = double.IsFinite(result.TrainLoss) ? result.TrainLoss : (double?)null,
                        val_loss = result.ValLoss,
                        val_ppl = result.ValPerplexity,
                        heldout_ppl = result.HeldOut?.Perplexity,
                        heldout = result.HeldOut is { } h ? new { tokens = h.Tokens, window = h.ContextLength, stride = h.Stride } : null,
                        tokens_per_s = Math.Round(result.TokensPerSecond, 1),
                        checkpoint = result.Checkpoint,
                    }));
                }
                else
                {
                    string outDir = options.Out!;
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{result.StopReason} at step {result.Step}: train loss {result.TrainLoss:F4}, val loss {Show(result.ValLoss)} (last pass), {result.TokensPerSecond:N0} tokens/s"));
                    if (result.HeldOut is { } heldOut)
                        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"held-out perplexity {heldOut.Perplexity:F2} (whole validation split: {heldOut.Definition})"));
                    stdout.WriteLine($"checkpoint: {result.Checkpoint}" + (result.BestCheckpoint is null ? "" : $"  best: {result.BestCheckpoint}"));
                    stdout.WriteLine($"report: {Path.Combine(outDir, Trainer.ReportFileName)}  plot: {Path.Combine(outDir, LossPlot.FileName)}  metrics: {Path.Combine(outDir, MetricsLog.FileName)}");
                    if (result.StopReason == "interrupted") stdout.WriteLine($"resume with: myna train --out {outDir} --resume");
                }
                // Interrupted runs are saved, yet did not finish: scripts must be able to tell (128 + SIGINT, as shells report).
                return result.StopReason == "interrupted" ? FailureReport.Cancelled : MynaApp.Success;
            }
            catch (TrainingOptionsException ex)
            {
                throw new CliException(ex.Message, ex.IsUsage ? MynaApp.UsageError : MynaApp.Failure, ex);
            }
            catch (IOException ex)
            {
                // Checkpoints are written atomically, so the last complete one is intact whatever failed here.
                throw new CliException($"training stopped on a file error ({ex.Message}); checkpoints already written to '{options.Out}' are intact.", MynaApp.Failure, ex);
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        });
        return command;
    }

    private static string Show(double? value) => value is double v ? v.ToString("F4", CultureInfo.InvariantCulture) : "n/a";
}
