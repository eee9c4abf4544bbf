using MLNetSpatialOmics.Cli;

return SpatialOmicsTool.Run(args, CliConsole.System());
