using System.Buffers.Binary;
using Vnvdimm.Formats.Acpi.Nfit;
using Vnvdimm.Formats.Dsm;
using Vnvdimm.Guest.Acpi;
using Vnvdimm.Guest.Kernel;
using Vnvdimm.Guest.Nd;

namespace Vnvdimm.Guest.Nfit;

/// <summary>
/// The NFIT driver's view of one DIMM (struct nfit_mem): its NFIT structures, its ACPI device, its
/// _DSM family and mask, and how it reaches the label area (acpi_nfit_ctl for the three label
/// commands: _DSM functions 4/5/6, or _LSI/_LSR/_LSW when those are enabled).
/// </summary>
internal sealed class NfitDimm(uint handle, AmlInterpreter aml, KernelLog log) : INvdimmCommands
{
    // Status 3 from _LSR/_LSW: labels locked.
    private const uint LabelsLocked = 3;

    // Extended status bit of Get Config Size: config locked.
    private const uint ConfigLocked = 1;

    public uint Handle { get; } = handle;

    public NfitMemdev? MemdevPmem { get; set; }

    public NfitMemdev? MemdevDcr { get; set; }

    public NfitDcr? Dcr { get; set; }

    public NfitOther? Flush { get; set; }

    /// <summary>The NVxx device whose _ADR is the handle.</summary>
    public string? AcpiPath { get; set; }

    public DsmFamily Family { get; set; } = DsmFamily.None;

    /// <summary>Functions of <see cref="Family"/> the firmware confirmed (function 0 excluded).</summary>
    public ulong DsmMask { get; set; }

    /// <summary>NFIT_MEM_LSR: labels are read through _LSI/_LSR.</summary>
    public bool UsesLabelMethods { get; set; }

    /// <summary>NFIT_MEM_LSW: labels are written through _LSW.</summary>
    public bool UsesLabelWriteMethod { get; set; }

    public Nvdimm? Nvdimm { get; set; }

    /// <summary>__to_nfit_memdev: the control-region map if any, else the pmem one.</summary>
    public NfitMemdev? Memdev => MemdevDcr ?? MemdevPmem;

    /// <summary>nfit/id: vendor-serial, or vendor-location-date-serial when manufacturing info is valid; big-endian as Linux prints them.</summary>
    public string? UniqueId
    {
        get
        {
            if (Dcr is null)
            {
                return null;
            }
            NfitControlRegion dcr = Dcr.Region;
            ushort vendor = BinaryPrimitives.ReverseEndianness(dcr.VendorId);
            uint serial = BinaryPrimitives.ReverseEndianness(dcr.SerialNumber);
            return (dcr.ValidFields & 1) != 0
                ? $"{vendor:x4}-{dcr.ManufacturingLocation:x2}-{BinaryPrimitives.ReverseEndianness(dcr.ManufacturingDate):x4}-{serial:x8}"
                : $"{vendor:x4}-{serial:x8}";
        }
    }

    public int GetConfigSize(out NdConfigSize size)
    {
        size = default;
        AcpiObject? result = UsesLabelMethods
            ? PackageToBuffer(EvaluateMethod("_LSI"))
            : Dsm(NdCommand.GetConfigSize, []);
        int rc = ReadOutput(result, LabelSizeInfo.Size, out uint status, out ReadOnlySpan<byte> payload);
        if (rc < 0)
        {
            return rc;
        }
        var padded = new byte[LabelSizeInfo.Size];
        payload.CopyTo(padded);
        LabelSizeInfo.TryRead(padded, out LabelSizeInfo info);
        size = new NdConfigSize(status, info.LabelSize, info.MaxTransfer);
        if (!UsesLabelMethods && ((status >> 16) & ConfigLocked) != 0)
        {
            return -Errno.EACCES;
        }
        return status != 0 ? -Errno.EIO : 0;
    }

    public int GetConfigData(uint offset, Span<byte> destination)
    {
        AcpiObject? result;
        if (UsesLabelMethods)
        {
            result = PackageToBuffer(EvaluateMethod("_LSR", new AcpiInteger(offset), new AcpiInteger((ulong)destination.Length)));
        }
        else
        {
            Span<byte> input = stackalloc byte[LabelDataArguments.Size];
            new LabelDataArguments(offset, (uint)destination.Length).WriteTo(input);
            result = Dsm(NdCommand.GetConfigData, input);
        }
        int rc = ReadOutput(result, destination.Length, out uint status, out ReadOnlySpan<byte> payload);
        if (rc < 0)
        {
            return rc;
        }
        payload.CopyTo(destination);
        destination[payload.Length..].Clear();
        if (UsesLabelMethods && status == LabelsLocked)
        {
            return -Errno.EACCES;
        }
        return status != 0 ? -Errno.EIO : 0;
    }

    public int SetConfigData(uint offset, ReadOnlySpan<byte> source)
    {
        AcpiObject? result;
        if (UsesLabelWriteMethod)
        {
            result = EvaluateMethod("_LSW", new AcpiInteger(offset), new AcpiInteger((ulong)source.Length), new AcpiBuffer(source)) switch
            {
                // int_to_buf: the status Integer as 4 bytes.
                AcpiInteger written => new AcpiBuffer(BitConverter.GetBytes((uint)written.Value)),
                _ => null,
            };
        }
        else
        {
            var input = new byte[LabelDataArguments.Size + source.Length];
            new LabelDataArguments(offset, (uint)source.Length).WriteTo(input);
            source.CopyTo(input.AsSpan(LabelDataArguments.Size));
            result = Dsm(NdCommand.SetConfigData, input);
        }
        int rc = ReadOutput(result, 0, out uint status, out _);
        if (rc < 0)
        {
            return rc;
        }
        if (UsesLabelWriteMethod && status == LabelsLocked)
        {
            return -Errno.EACCES;
        }
        return status != 0 ? -Errno.EIO : 0;
    }

    // The Intel command numbers are the _DSM function numbers; Arg3 is Package { Buffer (input) }.
    private AcpiObject? Dsm(NdCommand command, ReadOnlySpan<byte> input)
    {
        if (AcpiPath is null || Family == DsmFamily.None)
        {
            return null;
        }
        int function = (int)command;
        return AcpiDsm.Evaluate(aml, log, AcpiPath, DsmFamilies.UuidOf(Family), DsmFamilies.Revision(Family, function), (ulong)function, new AcpiPackage(new AcpiBuffer(input)));
    }

    private AcpiObject? EvaluateMethod(string method, params ReadOnlySpan<AcpiObject> arguments)
    {
        if (AcpiPath is null)
        {
            return null;
        }
        try
        {
            return aml.Evaluate(AcpiPath + "." + method, arguments);
        }
        catch (AmlException e)
        {
            log.Write($"ACPI: {AcpiPath}: failed to evaluate {method} ({e.Message})");
            return null;
        }
    }

    // pkg_to_buf: each Integer becomes its low 4 bytes, each Buffer its bytes; anything else is a BIOS bug.
    private AcpiBuffer? PackageToBuffer(AcpiObject? result)
    {
        if (result is not AcpiPackage package)
        {
            if (result is not null)
            {
                log.Write($"WARNING: BIOS bug, unexpected element type: {(int)result.Type}");
            }
            return null;
        }
        var bytes = new List<byte>();
        foreach (AcpiObject element in package.Elements)
        {
            switch (element)
            {
                case AcpiInteger integer:
                    bytes.AddRange(BitConverter.GetBytes((uint)integer.Value));
                    break;
                case AcpiBuffer buffer:
                    bytes.AddRange(buffer.Span.ToArray());
                    break;
                default:
                    log.Write($"WARNING: BIOS bug, unexpected element type: {(int)element.Type}");
                    return null;
            }
        }
        return new AcpiBuffer(bytes.ToArray());
    }

    // The reply must be a Buffer starting with a u32 status; a short payload is what Linux copies (the rest zero).
    private int ReadOutput(AcpiObject? result, int payloadLength, out uint status, out ReadOnlySpan<byte> payload)
    {
        status = 0;
        payload = default;
        if (result is null)
        {
            log.Device(Nvdimm?.Name ?? $"handle 0x{Handle:x}", "_DSM failed");
            return -Errno.EINVAL;
        }
        if (result is not AcpiBuffer buffer)
        {
            return -Errno.EINVAL;
        }
        if (buffer.Length < sizeof(uint))
        {
            log.Device(Nvdimm?.Name ?? $"handle 0x{Handle:x}", $"underrun buf_len: {sizeof(uint) + payloadLength} out_len: {buffer.Length}");
            return -Errno.ENXIO;
        }
        status = BinaryPrimitives.ReadUInt32LittleEndian(buffer.Span);
        ReadOnlySpan<byte> rest = buffer.Span[sizeof(uint)..];
        payload = rest[..Math.Min(rest.Length, payloadLength)];
        return 0;
    }
}
