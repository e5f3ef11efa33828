namespace Vnvdimm.Tests.Differential;

/// <summary>
/// One configuration to run under both programs: the arguments ("@DIR@" is the scratch folder)
/// and the files that exist before the run (name, length, seed of their random content).
/// </summary>
public sealed record DifferentialCase(string Name, IReadOnlyList<string> Args, IReadOnlyList<(string Name, long Length)> Files)
{
    public DifferentialCase(string name, params string[] args)
        : this(name, args, [])
    {
    }

    public override string ToString() => $"{Name}: {string.Join(' ', Args)}";
}
