namespace Vnvdimm.Host.Configuration;

/// <summary>The x86 board families vnvdimm models.</summary>
public enum MachineKind
{
    /// <summary>i440FX + PIIX ("pc", "pc-i440fx-7.2").</summary>
    Pc,
    /// <summary>Q35 + ICH9 ("q35", "pc-q35-7.2").</summary>
    Q35,
}
