using System.Buffers.Binary;
using Vnvdimm.Guest.Acpi;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Tests.Guest.Acpi;

/// <summary>
/// A stand-in for QEMU's NVDIMM ACPI device behind the AML: guest RAM around the DSM page the reference
/// SSDTs point MEMA at (0x1FFFF000), and the mailbox port 0x0A18 that, on a 32-bit write of the page
/// address, reads the request from the page and writes a QEMU-shaped reply there
/// (research/qemu-nvdimm.md §5). One NVDIMM is present, in slot 0 (handle 1).
/// </summary>
internal sealed class FakeNvdimmPlatform : IAmlPlatform
{
    public const ulong MemoryBase = 0x1FFF_0000;
    public const ulong DsmPage = 0x1FFF_F000;
    public const ushort MailboxPort = 0x0A18;
    public const int MaxTransfer = 4076;
    public const int FitChunk = 4088;

    private readonly byte[] _memory = new byte[0x2_0000];
    private readonly Lock _lock = new();

    public FakeNvdimmPlatform(int labelSize = 0x2_0000)
    {
        Labels = new byte[labelSize];
        for (int i = 0; i < Labels.Length; i++)
        {
            Labels[i] = (byte)((i * 7) + (i >> 8));
        }
    }

    /// <summary>The label area of the NVDIMM in slot 0.</summary>
    public byte[] Labels { get; }

    /// <summary>Handles (slot + 1) that have an NVDIMM.</summary>
    public HashSet<uint> PresentHandles { get; } = [1];

    /// <summary>What Read FIT serves.</summary>
    public byte[] Fit { get; set; } = [];

    /// <summary>Set by a "hotplug": the next Read FIT at a non-zero offset answers 0x100.</summary>
    public bool FitDirty { get; set; }

    /// <summary>Called with the offset before each Read FIT is answered (to simulate a hotplug mid-read).</summary>
    public Action<uint>? BeforeReadFit { get; set; }

    public List<DsmRequest> Requests { get; } = [];

    public List<(ushort Port, int Width, uint Value)> PortWrites { get; } = [];

    public uint ReadPort(ushort port, int width) => 0;

    public void WritePort(ushort port, int width, uint value)
    {
        lock (_lock)
        {
            PortWrites.Add((port, width, value));
        }
        // QEMU reads the page at whatever address was written; an unmapped one is simply not answered here.
        if (port == MailboxPort && width == 4 && TryOffset(new GuestAddress(value), 4096, out _))
        {
            Dispatch(value);
        }
    }

    public bool TryReadMemory(GuestAddress address, Span<byte> destination)
    {
        if (!TryOffset(address, destination.Length, out int offset))
        {
            return false;
        }
        _memory.AsSpan(offset, destination.Length).CopyTo(destination);
        return true;
    }

    public bool TryWriteMemory(GuestAddress address, ReadOnlySpan<byte> source)
    {
        if (!TryOffset(address, source.Length, out int offset))
        {
            return false;
        }
        source.CopyTo(_memory.AsSpan(offset));
        return true;
    }

    public Span<byte> Memory(ulong address, int length) => _memory.AsSpan((int)(address - MemoryBase), length);

    private bool TryOffset(GuestAddress address, int length, out int offset)
    {
        offset = 0;
        if (address.Value < MemoryBase || address.Value - MemoryBase + (ulong)length > (ulong)_memory.Length)
        {
            return false;
        }
        offset = (int)(address.Value - MemoryBase);
        return true;
    }

    // QEMU's nvdimm_dsm_write: copy the page, answer at the same address.
    private void Dispatch(uint pageAddress)
    {
        Span<byte> page = Memory(pageAddress, 4096).ToArray();
        uint handle = BinaryPrimitives.ReadUInt32LittleEndian(page);
        uint revision = BinaryPrimitives.ReadUInt32LittleEndian(page[4..]);
        uint function = BinaryPrimitives.ReadUInt32LittleEndian(page[8..]);
        byte[] argument = page[12..].ToArray();
        lock (_lock)
        {
            Requests.Add(new DsmRequest(handle, revision, function, argument));
        }
        Span<byte> output = Memory(pageAddress, 4096);
        if (revision != 1)
        {
            Reply(output, 1, []);
        }
        else if (handle == 0x10000)
        {
            RootPrivate(output, function, argument);
        }
        else if (handle == 0)
        {
            Reply(output, function == 0 ? 0u : 1u, []);
        }
        else
        {
            Dimm(output, handle, function, argument);
        }
    }

    private void RootPrivate(Span<byte> output, uint function, byte[] argument)
    {
        if (function == 0)
        {
            Reply(output, 0x3, []);
            return;
        }
        if (function != 1)
        {
            Reply(output, 1, []);
            return;
        }
        uint offset = BinaryPrimitives.ReadUInt32LittleEndian(argument);
        BeforeReadFit?.Invoke(offset);
        if (offset > Fit.Length)
        {
            Reply(output, 3, []);
            return;
        }
        if (offset == 0)
        {
            FitDirty = false;
        }
        else if (FitDirty)
        {
            Reply(output, 0x100, []);
            return;
        }
        int length = Math.Min(Fit.Length - (int)offset, FitChunk);
        Reply(output, 0, Fit.AsSpan((int)offset, length));
    }

    private void Dimm(Span<byte> output, uint handle, uint function, byte[] argument)
    {
        bool present = PresentHandles.Contains(handle);
        if (function == 0)
        {
            Reply(output, present && Labels.Length > 0 ? 0x71u : 0u, []);
            return;
        }
        if (!present)
        {
            Reply(output, 2, []);
            return;
        }
        if (function is 4 or 5 or 6 && Labels.Length == 0)
        {
            Reply(output, 1, []);
            return;
        }
        switch (function)
        {
            case 4:
            {
                var info = new byte[8];
                BinaryPrimitives.WriteUInt32LittleEndian(info, (uint)Labels.Length);
                BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(4), MaxTransfer);
                Reply(output, 0, info);
                return;
            }
            case 5 or 6:
            {
                uint offset = BinaryPrimitives.ReadUInt32LittleEndian(argument);
                uint length = BinaryPrimitives.ReadUInt32LittleEndian(argument.AsSpan(4));
                if ((ulong)offset + length > (ulong)Labels.Length || length > MaxTransfer)
                {
                    Reply(output, 3, []);
                    return;
                }
                if (function == 5)
                {
                    Reply(output, 0, Labels.AsSpan((int)offset, (int)length));
                    return;
                }
                argument.AsSpan(8, (int)length).CopyTo(Labels.AsSpan((int)offset));
                Reply(output, 0, []);
                return;
            }
            default:
                Reply(output, 1, []);
                return;
        }
    }

    private static void Reply(Span<byte> output, uint status, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(output, (uint)(8 + payload.Length));
        BinaryPrimitives.WriteUInt32LittleEndian(output[4..], status);
        payload.CopyTo(output[8..]);
    }
}

/// <summary>One mailbox request as the fake device read it from the DSM page.</summary>
internal sealed record DsmRequest(uint Handle, uint Revision, uint Function, byte[] Argument);
