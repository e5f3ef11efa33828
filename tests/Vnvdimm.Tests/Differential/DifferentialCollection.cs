namespace Vnvdimm.Tests.Differential;

/// <summary>The differential tests run one at a time: each already runs its cases in parallel.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DifferentialCollection
{
    public const string Name = "qemu differential";
}
