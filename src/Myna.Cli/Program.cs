using Myna.Cli;

return MynaApp.Run(args);
