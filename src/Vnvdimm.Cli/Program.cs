using Vnvdimm.Cli;

return VnvdimmProgram.Run(args, Console.In, Console.Out, Console.Error);
