using System.Diagnostics;
using Vnvdimm.Formats.Dsm;
using Vnvdimm.Platform.Memory;
using Vnvdimm.Tests.Host.Backends;

namespace Vnvdimm.Tests.Host.Dsm;

/// <summary>
/// Hostile-guest fuzzing of the mailbox: random requests checked reply by reply against
/// <see cref="DsmModel"/>, then a million requests while another thread rewrites the page under
/// them, checking that nothing outside the addressed DIMM's label area ever changes.
/// </summary>
public sealed class DsmFuzzTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Every kind of handle: labelled DIMMs 1–2, label-less 3, read-only 4, empty 5–8, root, private, and far out.</summary>
    private static readonly uint[] AllHandles = [0, 1, 1, 1, 2, 2, 2, 3, 4, 4, 5, 8, 0xFFFF, 0x1_0000, 0x1_0000, 0x1_0001, 0xFFFF_FFFF];

    /// <summary>Handles whose calls must not change any byte of guest or backend memory.</summary>
    private static readonly uint[] HarmlessHandles = [0, 3, 4, 4, 5, 8, 0xFFFF, 0x1_0000, 0x1_0000, 0x1_0001, 0xFFFF_FFFF];

    private static readonly GuestAddress Second = new(0x10_0123);
    private static readonly uint[] Unmapped = [(uint)DsmRig.RamSize - 0x7FF, (uint)DsmRig.RamSize, 0xFFFF_F000, 0xFFFF_FFFF];

    private readonly DsmRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private static int Seed(int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable("VNVDIMM_FUZZ_SEED"), out int seed) ? seed : fallback;

    [Fact]
    public void Random_requests_get_exactly_the_model_reply_and_leave_the_rest_of_the_page()
    {
        const int Requests = 1_000_000;
        int seed = Seed(Environment.TickCount);
        output.WriteLine($"seed {seed} (VNVDIMM_FUZZ_SEED)");
        _rig.FillLabel(0, seed: 1);
        _rig.FillLabel(1, seed: 2);
        DsmModel model = DsmModel.Of(_rig);
        var fuzzer = new RequestFuzzer(seed, AllHandles);
        byte[] request = DsmRig.Pattern(DsmPage.Size, seed);
        byte[] after = new byte[DsmPage.Size];
        var statuses = new Dictionary<string, int>();
        var stopwatch = Stopwatch.StartNew();

        for (int i = 0; i < Requests; i++)
        {
            fuzzer.Next(request);
            if (fuzzer.Random.Next(5000) == 0)
            {
                _rig.Mailbox.MarkFitDirty();
                model.Dirty = true;
            }
            GuestAddress page = fuzzer.Random.Next(4) == 0 ? Second : DsmRig.Page;
            byte[] expected = model.Reply(request);
            _rig.Memory.WriteAll(page, request);

            _rig.Bus.WritePort(DsmRig.Port, 4, (uint)page.Value);

            _rig.Memory.ReadExactly(page, after);
            if (!after.AsSpan(0, expected.Length).SequenceEqual(expected) || !after.AsSpan(expected.Length).SequenceEqual(request.AsSpan(expected.Length)))
            {
                Assert.Fail($"request {i} (seed {seed}): {Convert.ToHexString(request, 0, 20)} got {Convert.ToHexString(after, 0, 16)}, expected {Convert.ToHexString(expected, 0, Math.Min(16, expected.Length))}");
            }
            // 8-byte replies by status (or mask); longer ones carry data.
            string key = expected.Length == 8 ? $"0x{BitConverter.ToUInt32(expected, 4):x}" : "data";
            statuses[key] = statuses.GetValueOrDefault(key) + 1;
        }

        Assert.True(model.Dimms[1].Label.AsSpan().SequenceEqual(_rig.Label(0)));
        Assert.True(model.Dimms[2].Label.AsSpan().SequenceEqual(_rig.Label(1)));
        Assert.True(model.Dimms[4].Label.AsSpan().SequenceEqual(_rig.Label(3)));
        output.WriteLine($"{Requests:N0} requests in {stopwatch.Elapsed.TotalSeconds:F1} s; replies by status/mask: "
            + string.Join(", ", statuses.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value:N0}")));
        // Every status and mask the protocol has was produced, and replies with data.
        Assert.Superset(new HashSet<string> { "0x0", "0x1", "0x2", "0x3", "0x71", "0x100", "data" }, statuses.Keys.ToHashSet());
    }

    [Fact]
    public void A_million_requests_with_the_page_rewritten_under_them_change_nothing_but_the_addressed_label_area()
    {
        const int Batches = 200;
        const int BatchSize = 5_000;
        int seed = Seed(Environment.TickCount);
        output.WriteLine($"seed {seed} (VNVDIMM_FUZZ_SEED)");
        byte[] ram = DsmRig.Pattern((int)DsmRig.RamSize, seed);
        _rig.Memory.WriteAll(new GuestAddress(0), ram);
        var dimms = _rig.Machine.Nvdimms.ToArray();
        foreach (var dimm in dimms.Where(d => !d.IsReadOnly))
        {
            dimm.Backend!.Write(0, DsmRig.Pattern((int)dimm.Backend.Size, seed + dimm.Slot));
        }
        byte[][] backends = [.. dimms.Select(d => d.Backend!.ReadBytes(0, (int)d.Backend!.Size))];
        byte[][] labels = [.. dimms.Select(d => d.LabelSize == 0 ? [] : _rig.Label(d.Slot).ToArray())];

        using var rewriter = new PageRewriter(_rig.Memory, DsmRig.Page, seed + 1);
        var fuzzer = new RequestFuzzer(seed, HarmlessHandles);
        byte[] request = new byte[DsmPage.Size];
        var stopwatch = Stopwatch.StartNew();
        long calls = 0;
        for (int batch = 0; batch < Batches; batch++)
        {
            // One labelled DIMM (or none) may be written during a batch; the rewriter may also
            // put only its handle or harmless ones into the page.
            uint target = (uint)(batch % 3);
            uint[] handles = target == 0 ? HarmlessHandles : [.. HarmlessHandles, target, target, target, target];
            fuzzer = new RequestFuzzer(seed + batch, handles);
            rewriter.Resume(handles);
            for (int i = 0; i < BatchSize; i++)
            {
                int where = fuzzer.Random.Next(20);
                if (where < 2)
                {
                    // Not (entirely) mapped: must be ignored.
                    _rig.Bus.WritePort(DsmRig.Port, 4, Unmapped[fuzzer.Random.Next(Unmapped.Length)]);
                }
                else
                {
                    GuestAddress page = where < 4 ? Second : DsmRig.Page;
                    fuzzer.Next(request);
                    _rig.Memory.WriteAll(page, request);
                    _rig.Bus.WritePort(DsmRig.Port, 4, (uint)page.Value);
                }
                calls++;
            }
            rewriter.Pause();
            for (int d = 0; d < dimms.Length; d++)
            {
                if (dimms[d].LabelSize == 0)
                {
                    continue;
                }
                if ((uint)dimms[d].Slot + 1 == target)
                {
                    labels[d] = _rig.Label(dimms[d].Slot).ToArray();
                }
                else
                {
                    Assert.True(labels[d].AsSpan().SequenceEqual(_rig.Label(dimms[d].Slot)), $"label area of slot {dimms[d].Slot} changed in batch {batch} (target {target})");
                }
            }
        }
        TimeSpan elapsed = stopwatch.Elapsed;

        // Guest RAM: everything but the two DSM pages, byte for byte.
        byte[] now = new byte[ram.Length];
        _rig.Memory.ReadExactly(new GuestAddress(0), now);
        foreach (GuestAddress page in new[] { DsmRig.Page, Second })
        {
            now.AsSpan((int)page.Value, DsmPage.Size).CopyTo(ram.AsSpan((int)page.Value));
        }
        Assert.True(ram.AsSpan().SequenceEqual(now), "guest RAM outside the DSM pages changed");
        // Backends: everything but the label areas (compared per batch above).
        for (int d = 0; d < dimms.Length; d++)
        {
            int keep = (int)dimms[d].LabelAreaOffset;
            Assert.True(backends[d].AsSpan(0, keep).SequenceEqual(dimms[d].Backend!.ReadBytes(0, keep)), $"backend of slot {dimms[d].Slot} changed outside its label area");
        }
        Assert.True(backends[3].AsSpan().SequenceEqual(dimms[3].Backend!.ReadBytes(0, backends[3].Length)), "the read-only DIMM changed");
        output.WriteLine($"{calls:N0} port writes in {elapsed.TotalSeconds:F1} s ({calls / elapsed.TotalSeconds:N0}/s) with {rewriter.Rewrites:N0} concurrent page rewrites");
        Assert.True(rewriter.Rewrites > 10_000, "the rewriter hardly ran");
    }

    /// <summary>A second "vCPU" that keeps scribbling over the DSM page while calls run.</summary>
    private sealed class PageRewriter : IDisposable
    {
        private readonly IGuestMemory _memory;
        private readonly GuestAddress _page;
        private readonly Thread _thread;
        private readonly SemaphoreSlim _run = new(0);
        private readonly SemaphoreSlim _paused = new(0);
        private volatile uint[] _handles = [];
        private volatile bool _pauseRequested;
        private volatile bool _stop;
        private long _rewrites;

        public PageRewriter(IGuestMemory memory, GuestAddress page, int seed)
        {
            _memory = memory;
            _page = page;
            _thread = new Thread(() => Run(seed)) { IsBackground = true };
            _thread.Start();
        }

        public long Rewrites => Interlocked.Read(ref _rewrites);

        public void Resume(uint[] handles)
        {
            _handles = handles;
            _pauseRequested = false;
            _run.Release();
        }

        public void Pause()
        {
            _pauseRequested = true;
            _paused.Wait();
        }

        private void Run(int seed)
        {
            var fuzzer = new RequestFuzzer(seed, []);
            Span<byte> word = stackalloc byte[4];
            Span<byte> chunk = stackalloc byte[64];
            _run.Wait();
            while (!_stop)
            {
                if (_pauseRequested)
                {
                    _paused.Release();
                    _run.Wait();
                    continue;
                }
                Random random = fuzzer.Random;
                int field = random.Next(8);
                uint value = field switch
                {
                    0 => _handles[random.Next(_handles.Length)],
                    1 => random.Next(4) == 0 ? (uint)random.Next() : 1,
                    2 => (uint)random.Next(8),
                    _ => fuzzer.Value(),
                };
                if (field < 5)
                {
                    BitConverter.TryWriteBytes(word, value);
                    _memory.TryWrite(new GuestAddress(_page.Value + ((ulong)field * 4)), word);
                }
                else
                {
                    random.NextBytes(chunk);
                    _memory.TryWrite(new GuestAddress(_page.Value + 20 + (ulong)random.Next(DsmPage.Size - 20 - chunk.Length)), chunk);
                }
                Interlocked.Increment(ref _rewrites);
            }
        }

        public void Dispose()
        {
            _stop = true;
            _pauseRequested = false;
            _run.Release();
            _thread.Join();
            _run.Dispose();
            _paused.Dispose();
        }
    }
}
