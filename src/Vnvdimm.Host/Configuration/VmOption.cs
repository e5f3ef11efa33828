namespace Vnvdimm.Host.Configuration;

/// <summary>One command-line option: its canonical name ("-machine"), the name as written ("-M") and its argument.</summary>
public sealed record VmOption(string Name, string WrittenName, string Argument)
{
    /// <summary>The location QEMU prints before an error about this option ("-device nvdimm,memdev=m").</summary>
    public string Location => Argument.Length == 0 ? WrittenName : $"{WrittenName} {Argument}";
}
