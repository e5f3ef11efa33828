namespace Vnvdimm.Formats.Acpi.Loader;

/// <summary>Command word of a QEMU BIOS linker/loader ("etc/table-loader") entry. Firmware ignores other values.</summary>
public enum TableLoaderCommandType : uint
{
    /// <summary>Copy a fw_cfg file into guest memory it allocates.</summary>
    Allocate = 1,
    /// <summary>Add the guest address of one allocated file to a little-endian pointer inside another.</summary>
    AddPointer = 2,
    /// <summary>Set a checksum byte so that a range of a file sums to zero.</summary>
    AddChecksum = 3,
    /// <summary>Write a guest address back into a writable fw_cfg file (QEMU 2.9+, e.g. VMGENID).</summary>
    WritePointer = 4,
}
