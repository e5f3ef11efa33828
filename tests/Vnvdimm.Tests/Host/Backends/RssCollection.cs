namespace Vnvdimm.Tests.Host.Backends;

/// <summary>Tests that measure the process RSS run alone, so other tests' memory does not count.</summary>
[CollectionDefinition(nameof(RssCollection), DisableParallelization = true)]
public sealed class RssCollection;
