using System.Runtime.CompilerServices;
using Vnvdimm.Formats.Dsm;
using Vnvdimm.Host.Devices;
using Vnvdimm.Platform.Bus;
using Vnvdimm.Platform.Memory;

namespace Vnvdimm.Host.Dsm;

/// <summary>
/// The device side of QEMU 7.2's NVDIMM _DSM mailbox (research §4.3, §5): a 32-bit write to I/O
/// port 0x0A18 carries the guest-physical address of a 4 KiB DSM page; the request in it is
/// answered synchronously by overwriting the page with the reply.
/// </summary>
/// <remarks>
/// <para>The page is guest memory a hostile guest can rewrite while we work, so it is copied out
/// whole before any field is read, and the reply is built privately and copied back in one write.
/// Nothing the guest writes can make a call throw.</para>
/// <para>vCPU threads may call at once, also during a plug. The NVDIMMs and the FIT are one
/// immutable snapshot, replaced whole by <see cref="MarkFitDirty"/>, so each call sees the
/// machine either before or after a plug. Read FIT and <see cref="MarkFitDirty"/> also share a
/// lock, so the dirty flag always belongs to the FIT it describes.</para>
/// </remarks>
public sealed class NvdimmDsmMailbox : IPortIoHandler
{
    /// <summary>QEMU's NVDIMM_ACPI_IO_BASE ("nvdimm-acpi-io").</summary>
    public const ushort IoBase = 0x0A18;

    /// <summary>One 32-bit register (NTFI).</summary>
    public const int IoLength = 4;

    private readonly IGuestMemory _memory;
    private readonly Func<IEnumerable<NvdimmDevice>> _devices;
    private readonly IFitSource _fitSource;
    private readonly Lock _fitLock = new();
    private State _state;
    private bool _fitDirty;

    /// <param name="memory">Guest-physical memory, where the DSM pages live.</param>
    /// <param name="devices">The machine's NVDIMMs; read now and on every <see cref="MarkFitDirty"/>.</param>
    /// <param name="fitSource">The FIT served by Read FIT; read now and on every <see cref="MarkFitDirty"/>.</param>
    public NvdimmDsmMailbox(IGuestMemory memory, Func<IEnumerable<NvdimmDevice>> devices, IFitSource fitSource)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(fitSource);
        _memory = memory;
        _devices = devices;
        _fitSource = fitSource;
        _state = State.Build(null, devices(), fitSource.CurrentFit);
    }

    /// <summary>True from an NVDIMM plug until the guest next reads the FIT from offset 0.</summary>
    public bool IsFitDirty
    {
        get
        {
            lock (_fitLock)
            {
                return _fitDirty;
            }
        }
    }

    /// <summary>
    /// QEMU's nvdimm_plug: takes a new snapshot of the NVDIMMs and the FIT and marks the FIT
    /// changed, so a Read FIT in progress gets status 0x100. Call on every NVDIMM plug, cold and hot.
    /// </summary>
    public void MarkFitDirty()
    {
        lock (_fitLock)
        {
            Volatile.Write(ref _state, State.Build(_state, _devices(), _fitSource.CurrentFit));
            _fitDirty = true;
        }
    }

    /// <summary>Reads of the port return 0.</summary>
    public uint Read(ushort offset, int size) => 0;

    /// <summary>A 32-bit write of a DSM page address runs the call; other widths do nothing (QEMU accepts only 4-byte accesses).</summary>
    public void Write(ushort offset, int size, uint value)
    {
        if (offset == 0 && size == IoLength)
        {
            Call(new GuestAddress(value));
        }
    }

    /// <summary>
    /// One _DSM call on the page at <paramref name="page"/>. When any byte of the page cannot be
    /// read nothing happens (QEMU's DMA from it would fail); a reply that cannot be written is lost.
    /// </summary>
    [SkipLocalsInit]
    public void Call(GuestAddress page)
    {
        // Uninitialised stack is safe: replies are written before they are copied out, byte for byte.
        Span<byte> buffers = stackalloc byte[2 * DsmPage.Size];
        Span<byte> input = buffers[..DsmPage.Size];
        Span<byte> output = buffers[DsmPage.Size..];
        if (!_memory.TryRead(page, input))
        {
            return;
        }
        // A whole page was copied, so the header read cannot fail; FARG likewise always holds
        // the 8 bytes the argument readers below need.
        DsmRequest.TryRead(input, out DsmRequest request);
        int length = Dispatch(request, output);
        _memory.TryWrite(page, output[..length]);
    }

    // nvdimm_dsm_write: revision first, then the handle decides the function set.
    private int Dispatch(DsmRequest request, Span<byte> output)
    {
        if (request.Revision != DsmRequest.Revision1)
        {
            return DsmReply.WriteNoPayload(output, DsmStatus.NotSupported);
        }
        return request.Handle switch
        {
            DsmHandle.QemuPrivateRoot => CallQemuPrivate(request, output),
            DsmHandle.Root => DsmReply.WriteNoPayload(
                output, request.Function == (uint)NvdimmDeviceFunction.Query ? DsmFunctionMask.Root : (uint)DsmStatus.NotSupported),
            _ => CallDevice(request, output),
        };
    }

    private int CallQemuPrivate(DsmRequest request, Span<byte> output) => request.Function switch
    {
        (uint)QemuPrivateFunction.Query => DsmReply.WriteNoPayload(output, DsmFunctionMask.QemuPrivate),
        (uint)QemuPrivateFunction.ReadFit => ReadFit(request.Arguments, output),
        _ => DsmReply.WriteNoPayload(output, DsmStatus.NotSupported),
    };

    // nvdimm_dsm_func_read_fit: the offset check comes before the dirty check.
    private int ReadFit(ReadOnlySpan<byte> arguments, Span<byte> output)
    {
        ReadFitArguments.TryRead(arguments, out ReadFitArguments args);
        lock (_fitLock)
        {
            ReadOnlySpan<byte> fit = _state.Fit.Span;
            if (args.Offset > (uint)fit.Length)
            {
                return DsmReply.WriteNoPayload(output, DsmStatus.InvalidInput);
            }
            if (args.Offset == 0)
            {
                _fitDirty = false;
            }
            else if (_fitDirty)
            {
                return DsmReply.WriteNoPayload(output, DsmStatus.FitChanged);
            }
            ReadOnlySpan<byte> chunk = fit[(int)args.Offset..];
            chunk = chunk[..Math.Min(chunk.Length, ReadFitArguments.MaxChunk)];
            chunk.CopyTo(DsmReply.WriteHeader(output, (uint)DsmStatus.Success, chunk.Length));
            return DsmReply.LengthFor(chunk.Length);
        }
    }

    // nvdimm_dsm_device: function 0 never reports a missing device; everything else needs one with labels.
    private int CallDevice(DsmRequest request, Span<byte> output)
    {
        NvdimmLabelArea? area = Volatile.Read(ref _state).Find(request.Handle);
        if (request.Function == (uint)NvdimmDeviceFunction.Query)
        {
            return DsmReply.WriteNoPayload(output, area is { HasLabels: true } ? DsmFunctionMask.NvdimmWithLabels : DsmFunctionMask.NvdimmWithoutLabels);
        }
        if (area is null)
        {
            return DsmReply.WriteNoPayload(output, DsmStatus.NonExistingMemoryDevice);
        }
        if (!area.HasLabels)
        {
            return DsmReply.WriteNoPayload(output, DsmStatus.NotSupported);
        }
        return request.Function switch
        {
            (uint)NvdimmDeviceFunction.GetNamespaceLabelSize => GetLabelSize(area, output),
            (uint)NvdimmDeviceFunction.GetNamespaceLabelData => GetLabelData(area, request.Arguments, output),
            (uint)NvdimmDeviceFunction.SetNamespaceLabelData => SetLabelData(area, request.Arguments, output),
            _ => DsmReply.WriteNoPayload(output, DsmStatus.NotSupported),
        };
    }

    private static int GetLabelSize(NvdimmLabelArea area, Span<byte> output)
    {
        // QEMU stores the label size in a u32 field, truncating larger areas.
        var info = new LabelSizeInfo(unchecked((uint)area.Size), LabelDataArguments.MaxTransfer);
        info.WriteTo(DsmReply.WriteHeader(output, (uint)DsmStatus.Success, LabelSizeInfo.Size));
        return DsmReply.LengthFor(LabelSizeInfo.Size);
    }

    private static int GetLabelData(NvdimmLabelArea area, ReadOnlySpan<byte> arguments, Span<byte> output)
    {
        LabelDataArguments.TryRead(arguments, out LabelDataArguments args);
        DsmStatus status = NvdimmLabelArea.CheckRange(args.Offset, args.Length, area.Size);
        if (status != DsmStatus.Success)
        {
            return DsmReply.WriteNoPayload(output, status);
        }
        if (!area.TryRead(args.Offset, DsmReply.WriteHeader(output, (uint)DsmStatus.Success, (int)args.Length)))
        {
            // The machine is being disposed: the backend is gone with the device.
            return DsmReply.WriteNoPayload(output, DsmStatus.NonExistingMemoryDevice);
        }
        return DsmReply.LengthFor((int)args.Length);
    }

    // nvdimm_dsm_set_label_data: range (status 3) before read-only (status 1).
    private static int SetLabelData(NvdimmLabelArea area, ReadOnlySpan<byte> arguments, Span<byte> output)
    {
        LabelDataArguments.TryRead(arguments, out LabelDataArguments args);
        DsmStatus status = NvdimmLabelArea.CheckRange(args.Offset, args.Length, area.Size);
        if (status != DsmStatus.Success || !args.TryGetData(arguments, out ReadOnlySpan<byte> data))
        {
            return DsmReply.WriteNoPayload(output, DsmStatus.InvalidInput);
        }
        if (area.IsReadOnly)
        {
            return DsmReply.WriteNoPayload(output, DsmStatus.NotSupported);
        }
        // False only while the machine is disposed: the backend is gone with the device.
        return DsmReply.WriteNoPayload(output, area.TryWrite(args.Offset, data) ? DsmStatus.Success : DsmStatus.NonExistingMemoryDevice);
    }

    /// <summary>The NVDIMMs by handle and the FIT, as of one plug; never changed once published.</summary>
    private sealed class State(NvdimmLabelArea?[] byHandle, ReadOnlyMemory<byte> fit)
    {
        /// <summary>Index = handle (slot + 1); entry 0 (the root handle) stays null.</summary>
        private readonly NvdimmLabelArea?[] _byHandle = byHandle;

        public ReadOnlyMemory<byte> Fit { get; } = fit;

        public NvdimmLabelArea? Find(uint handle) => handle < (uint)_byHandle.Length ? _byHandle[handle] : null;

        /// <summary>
        /// A snapshot of the realized NVDIMMs; areas of devices already known are kept, so their
        /// read/write lock stays the same object across plugs.
        /// </summary>
        public static State Build(State? previous, IEnumerable<NvdimmDevice> devices, ReadOnlyMemory<byte> fit)
        {
            var areas = new List<(uint Handle, NvdimmLabelArea Area)>();
            foreach (NvdimmDevice device in devices)
            {
                if (!device.IsRealized || device.Backend is null || device.Slot < 0 || device.Slot >= (int)DsmHandle.QemuPrivateRoot - 1)
                {
                    continue;
                }
                uint handle = DsmHandle.FromSlot(device.Slot);
                NvdimmLabelArea? known = previous?.Find(handle);
                areas.Add((handle, known?.Device == device ? known : new NvdimmLabelArea(device)));
            }
            var byHandle = new NvdimmLabelArea?[areas.Count == 0 ? 1 : (int)areas.Max(a => a.Handle) + 1];
            foreach ((uint handle, NvdimmLabelArea area) in areas)
            {
                byHandle[handle] = area;
            }
            return new State(byHandle, fit.ToArray());
        }
    }
}
