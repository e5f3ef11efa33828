using System.Buffers.Binary;
using Vnvdimm.Formats.Acpi.Nfit;
using Vnvdimm.Guest.Kernel;
using Vnvdimm.Guest.Nd;

namespace Vnvdimm.Guest.Nfit;

/// <summary>
/// The NFIT structures the driver holds (acpi_desc's lists), built and updated as Linux 6.1's
/// acpi_nfit_init does: each structure's size is checked (a failure aborts the whole parse),
/// unknown types are skipped, a zero length ends the walk; on a later FIT every structure
/// identical to a known one is kept (the same object), new ones are appended, and a known one that
/// is missing rejects the update.
/// </summary>
internal sealed class NfitTable
{
    private const int InterleaveSize = 20;
    private const int InterleaveLineCountOffset = 8;
    private const int InterleaveIndexOffset = 4;
    private const int BlockDataWindowSize = 40;
    private const int FlushHintSize = 24;
    private const int FlushHintCountOffset = 8;
    private const int FlushHintHandleOffset = 4;

    public List<NfitSpa> Spas { get; private set; } = [];

    public List<NfitMemdev> Memdevs { get; private set; } = [];

    public List<NfitDcr> Dcrs { get; private set; } = [];

    public List<NfitOther> BlockDataWindows { get; private set; } = [];

    public List<NfitOther> Interleaves { get; private set; } = [];

    public List<NfitOther> FlushHints { get; private set; } = [];

    /// <summary>Capabilities masked to the highest valid bit (acpi_desc->platform_cap).</summary>
    public uint PlatformCapabilities { get; private set; }

    /// <summary>Parses <paramref name="fit"/> (structures only, no table header) into the lists; 0 or a negative errno.</summary>
    public int Merge(ReadOnlySpan<byte> fit, KernelLog log, string device)
    {
        List<NfitSpa> prevSpas = Spas;
        List<NfitMemdev> prevMemdevs = Memdevs;
        List<NfitDcr> prevDcrs = Dcrs;
        List<NfitOther> prevBdws = BlockDataWindows, prevIdts = Interleaves, prevFlushes = FlushHints;
        Spas = [];
        Memdevs = [];
        Dcrs = [];
        BlockDataWindows = [];
        Interleaves = [];
        FlushHints = [];

        int offset = 0;
        while (offset < fit.Length)
        {
            ReadOnlySpan<byte> rest = fit[offset..];
            if (rest.Length < NfitStructureHeader.Size)
            {
                return ParseError(log, device);
            }
            var type = (NfitStructureType)BinaryPrimitives.ReadUInt16LittleEndian(rest);
            int length = BinaryPrimitives.ReadUInt16LittleEndian(rest[NfitStructureHeader.LengthOffset..]);
            if (length == 0)
            {
                log.Device(device, $"found a zero length table '{(ushort)type}' parsing nfit");
                break;
            }
            // Linux reads a known structure that runs past the end of the buffer anyway; refuse it.
            bool fits = length <= rest.Length;
            bool ok = type switch
            {
                NfitStructureType.SpaRange => fits && AddSpa(rest[..length], prevSpas),
                NfitStructureType.MemoryDeviceMap => fits && AddMemdev(rest[..length], prevMemdevs),
                NfitStructureType.ControlRegion => fits && AddDcr(rest[..length], prevDcrs),
                NfitStructureType.BlockDataWindowRegion => fits && AddOther(rest, length == BlockDataWindowSize ? BlockDataWindowSize : -1, 0, BlockDataWindows, prevBdws),
                NfitStructureType.InterleaveDescription => fits && AddOther(rest, InterleaveEffectiveSize(rest, length), ReadKey16(rest, InterleaveIndexOffset), Interleaves, prevIdts),
                NfitStructureType.FlushHintAddress => fits && AddOther(rest, FlushEffectiveSize(rest, length), ReadKey32(rest, FlushHintHandleOffset), FlushHints, prevFlushes),
                NfitStructureType.SmbiosManagementInformation => true,
                NfitStructureType.PlatformCapabilities => fits && AddPlatformCapabilities(rest),
                _ => Unknown(log, device, type),
            };
            if (!ok)
            {
                return ParseError(log, device);
            }
            offset += length;
        }

        if (prevSpas.Count + prevMemdevs.Count + prevDcrs.Count + prevBdws.Count + prevIdts.Count + prevFlushes.Count > 0)
        {
            log.Device(device, "new nfit deletes entries (unsupported)");
            return -Errno.ENXIO;
        }
        return 0;
    }

    private static int ParseError(KernelLog log, string device)
    {
        log.Device(device, $"nfit table parsing error: {-Errno.ENOMEM}");
        return -Errno.ENOMEM;
    }

    private static bool Unknown(KernelLog log, string device, NfitStructureType type)
    {
        log.Device(device, $"unknown table '{(ushort)type}' parsing nfit");
        return true;
    }

    // An SPA is 56 bytes, or 64 with the ACPI 6.4 location cookie (flags bit 2).
    private bool AddSpa(ReadOnlySpan<byte> structure, List<NfitSpa> previous)
    {
        if (structure.Length < NfitSpaRangeLayout.Size)
        {
            return false;
        }
        var flags = (NfitSpaRangeFlags)BinaryPrimitives.ReadUInt16LittleEndian(structure[NfitSpaRangeLayout.FlagsOffset..]);
        int size = (flags & NfitSpaRangeFlags.LocationCookieValid) != 0 ? NfitSpaRangeLayout.SizeWithLocationCookie : NfitSpaRangeLayout.Size;
        if (structure.Length != size || !NfitSpaRange.TryRead(structure, out NfitSpaRange range, out _))
        {
            return false;
        }
        NfitSpa? known = TakeKnown(previous, structure, s => s.Raw);
        Spas.Add(known ?? new NfitSpa(structure.ToArray(), range));
        return true;
    }

    private bool AddMemdev(ReadOnlySpan<byte> structure, List<NfitMemdev> previous)
    {
        if (structure.Length != NfitMemoryDeviceMapLayout.Size || !NfitMemoryDeviceMap.TryRead(structure, out NfitMemoryDeviceMap map, out _))
        {
            return false;
        }
        NfitMemdev? known = TakeKnown(previous, structure, m => m.Raw);
        Memdevs.Add(known ?? new NfitMemdev(structure.ToArray(), map));
        return true;
    }

    // A control region may stop after the window count (32 bytes) when it has no block windows.
    private bool AddDcr(ReadOnlySpan<byte> structure, List<NfitDcr> previous)
    {
        // TryRead also refuses a structure that declares block windows but stops at 32 bytes, which
        // Linux would read past its end.
        if (!NfitControlRegion.TryRead(structure, out NfitControlRegion region, out _))
        {
            return false;
        }
        int size = region.BlockControlWindowCount != 0 ? NfitControlRegionLayout.Size : NfitControlRegionLayout.SizeWithoutBlockWindows;
        ReadOnlySpan<byte> raw = structure[..size];
        NfitDcr? known = TakeKnown(previous, raw, d => d.Raw);
        Dcrs.Add(known ?? new NfitDcr(raw.ToArray(), region));
        return true;
    }

    private static bool AddOther(ReadOnlySpan<byte> rest, int size, uint key, List<NfitOther> list, List<NfitOther> previous)
    {
        if (size <= 0 || size > rest.Length)
        {
            return false;
        }
        ReadOnlySpan<byte> raw = rest[..size];
        NfitOther? known = TakeKnown(previous, raw, o => o.Raw);
        list.Add(known ?? new NfitOther(raw.ToArray(), key));
        return true;
    }

    // sizeof_idt: 20 bytes plus 4 per line after the first.
    private static int InterleaveEffectiveSize(ReadOnlySpan<byte> rest, int length)
    {
        if (length < InterleaveSize || rest.Length < InterleaveSize)
        {
            return -1;
        }
        uint lines = BinaryPrimitives.ReadUInt32LittleEndian(rest[InterleaveLineCountOffset..]);
        long size = InterleaveSize + (4L * ((long)lines - 1));
        return size is < 0 or > int.MaxValue ? -1 : (int)size;
    }

    // sizeof_flush: 24 bytes plus 8 per hint after the first (16 when there are none, as C's arithmetic gives).
    private static int FlushEffectiveSize(ReadOnlySpan<byte> rest, int length)
    {
        if (length < FlushHintSize || rest.Length < FlushHintSize)
        {
            return -1;
        }
        int hints = BinaryPrimitives.ReadUInt16LittleEndian(rest[FlushHintCountOffset..]);
        return FlushHintSize + (8 * (hints - 1));
    }

    // Not length-checked by Linux: the mask keeps bits up to the highest valid one (C shift semantics on x86).
    private bool AddPlatformCapabilities(ReadOnlySpan<byte> rest)
    {
        byte highest = rest.Length > NfitPlatformCapabilitiesLayout.HighestValidCapabilityOffset ? rest[NfitPlatformCapabilitiesLayout.HighestValidCapabilityOffset] : (byte)0;
        uint capabilities = rest.Length >= NfitPlatformCapabilitiesLayout.CapabilitiesOffset + sizeof(uint)
            ? BinaryPrimitives.ReadUInt32LittleEndian(rest[NfitPlatformCapabilitiesLayout.CapabilitiesOffset..])
            : 0;
        uint mask = (1u << (highest + 1)) - 1;
        PlatformCapabilities = capabilities & mask;
        return true;
    }

    // The structure of the previous FIT with the same bytes, taken off that list (list_move_tail).
    private static T? TakeKnown<T>(List<T> previous, ReadOnlySpan<byte> raw, Func<T, byte[]> rawOf)
        where T : class
    {
        for (int i = 0; i < previous.Count; i++)
        {
            if (raw.SequenceEqual(rawOf(previous[i])))
            {
                T known = previous[i];
                previous.RemoveAt(i);
                return known;
            }
        }
        return null;
    }

    private static uint ReadKey16(ReadOnlySpan<byte> rest, int offset) => rest.Length >= offset + 2 ? BinaryPrimitives.ReadUInt16LittleEndian(rest[offset..]) : 0u;

    private static uint ReadKey32(ReadOnlySpan<byte> rest, int offset) => rest.Length >= offset + 4 ? BinaryPrimitives.ReadUInt32LittleEndian(rest[offset..]) : 0u;
}
