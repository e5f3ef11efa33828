namespace Vnvdimm.Formats.Aml;

/// <summary>ASL <c>Device(name) { ... }</c>: DeviceOp (5B 82), PkgLength, NameString, TermList.</summary>
public sealed class AmlDevice(string name) : AmlTermContainer(AmlOpcode.Device)
{
    public AmlNameString Name { get; } = new(name);

    protected override int HeaderLength => Name.Length;

    protected override void WriteHeader(AmlWriter writer) => Name.WriteTo(writer);
}
