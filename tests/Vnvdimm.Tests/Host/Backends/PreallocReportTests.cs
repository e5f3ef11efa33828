using System.Diagnostics;
using Vnvdimm.Host.Backends;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Host.Backends;

/// <summary>
/// What prealloc prints: off a terminal, one line at the end with size and rate, only when it took
/// over a second; on a terminal a progress bar instead and no such line. Time comes from a clock
/// the test controls, so the threshold is checked exactly.
/// </summary>
[Collection(nameof(RssCollection))]
public sealed class PreallocReportTests : IDisposable
{
    private readonly BackendTestSupport _support = new();

    public void Dispose() => _support.Dispose();

    /// <summary>Each reading is <paramref name="step"/> after the previous one: prealloc reads it at start and end.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _now;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _now, step.Ticks) - step.Ticks;
    }

    private List<string> Preallocate(string objectText, TimeSpan elapsed, int threads, TextWriter? terminal = null)
    {
        // Mapped without prealloc, then populated here with the controlled clock.
        using MemoryBackend backend = _support.Create(objectText);
        backend.Allocate(1);
        var lines = new List<string>();
        var sink = new StderrSink(text => lines.Add($"vnvdimm: {text}"), lines.Add) { Terminal = terminal };
        Preallocator.Run(backend.Region!, backend.Fd, backend.Share, backend.Size, backend.PageSize, threads, backend.Id, sink, new SteppingClock(elapsed));
        Assert.Equal(backend.Size / backend.PageSize, backend.Region!.CountResidentPages());
        return lines;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Over_a_second_off_a_terminal_prints_size_and_rate(int threads)
    {
        List<string> lines = Preallocate("memory-backend-ram,id=mem1,size=128M", TimeSpan.FromSeconds(1.5), threads);

        // 128 MiB in 1.5 s: 85.33 MiB/s.
        Assert.Equal(["vnvdimm: preallocated 128 MiB for 'mem1' in 1.50 s (85.3 MiB/s)"], lines);
    }

    [Fact]
    public void A_file_backend_reports_the_same_way()
    {
        string path = _support.PathOf("nv.img");
        List<string> lines = Preallocate($"memory-backend-file,id=nv,size=48M,share=on,mem-path={path}", TimeSpan.FromSeconds(2.5), 1);

        Assert.Equal(["vnvdimm: preallocated 48 MiB for 'nv' in 2.50 s (19.2 MiB/s)"], lines);
        Assert.True(BackendTestSupport.AllocatedBytes(path) >= 48L << 20);
    }

    [Theory]
    [InlineData(0.2)]
    [InlineData(1.0)]
    public void One_second_or_less_prints_nothing(double seconds)
    {
        Assert.Empty(Preallocate("memory-backend-ram,id=mem1,size=128M", TimeSpan.FromSeconds(seconds), 2));
    }

    [Fact]
    public void On_a_terminal_the_bar_replaces_the_line()
    {
        var terminal = new StringWriter();
        Assert.Empty(Preallocate("memory-backend-ram,id=mem1,size=128M", TimeSpan.FromSeconds(3), 2, terminal));
    }

    [Theory]
    [InlineData(0UL, "0 B")]
    [InlineData(1023UL, "1023 B")]
    [InlineData(1536UL, "1.5 KiB")]
    [InlineData(256UL << 20, "256 MiB")]
    [InlineData(1UL << 30, "1 GiB")]
    [InlineData(3UL << 29, "1.5 GiB")]
    [InlineData(1UL << 40, "1 TiB")]
    [InlineData(ulong.MaxValue, "16 EiB")]
    public void Sizes_are_binary_units(ulong bytes, string expected)
    {
        Assert.Equal(expected, Preallocator.FormatBytes(bytes));
    }

    [Fact]
    public async Task The_real_program_off_a_terminal_prints_nothing_for_a_short_prealloc()
    {
        using var scratch = new ScratchDirectory("vnvdimm-prealloc-quiet-");
        using Process process = ProgramProcess.Start(scratch.Path,
        [
            "-machine", "pc", "-m", "512M,slots=2,maxmem=4G",
            "-object", $"memory-backend-file,id=m,mem-path={scratch.File("p.img")},size=32M,prealloc=on,prealloc-threads=2,share=on",
        ]);
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        string stderr = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.True(process.WaitForExit(60_000));
        await stdout;

        Assert.Equal(string.Empty, stderr);
        Assert.Equal(0, process.ExitCode);
        Assert.True(BackendTestSupport.AllocatedBytes(scratch.File("p.img")) >= 32L << 20);
    }
}
