using BenchmarkDotNet.Running;

namespace Vnvdimm.Benchmarks;

/// <summary>Runs any benchmark class in this assembly; pick with --filter (e.g. '*GuestMemory*').</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
