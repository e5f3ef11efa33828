namespace Vnvdimm.Guest.Acpi;

/// <summary>
/// Object types, numbered as the ObjectType operator returns them (ACPI 6.5 §19.6.97), plus
/// <see cref="Reference"/> for object references, which ObjectType never returns because it
/// follows them.
/// </summary>
public enum AcpiObjectType
{
    Uninitialized = 0,
    Integer = 1,
    String = 2,
    Buffer = 3,
    Package = 4,
    FieldUnit = 5,
    Device = 6,
    Event = 7,
    Method = 8,
    Mutex = 9,
    OperationRegion = 10,
    PowerResource = 11,
    Processor = 12,
    ThermalZone = 13,
    BufferField = 14,
    DdbHandle = 15,
    DebugObject = 16,

    /// <summary>An object reference (RefOf, Index, or a package element naming a device); ACPICA's internal type 0x14.</summary>
    Reference = 0x14,
}
