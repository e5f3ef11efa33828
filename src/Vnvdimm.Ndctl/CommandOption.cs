namespace Vnvdimm.Ndctl;

/// <summary>One option of a command, as its parse-options table declares it.</summary>
internal sealed record CommandOption(char Short, string Long, OptionKind Kind, string Help, string? ArgumentName = null);
