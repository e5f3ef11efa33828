using System.Globalization;
using Spectre.Console;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Host.Backends;

/// <summary>
/// QEMU 7.2's qemu_prealloc_mem: fault in every page of a mapping, with MADV_POPULATE_WRITE when
/// the kernel has it (no SIGBUS on a full file system, just QEMU's error) and by writing one byte
/// per page otherwise, split over worker threads. A shared mapping of a file on a disk file system
/// has its blocks allocated with one fallocate first (see docs/benchmarks.md: on ext4 that halves
/// the time; the populate after it still reports a full file system in QEMU's words).
/// </summary>
internal static class Preallocator
{
    // QEMU's MAX_MEM_PREALLOC_THREAD_COUNT.
    private const int MaxThreads = 16;

    // Each thread populates its share in slices this large, so the progress bar moves smoothly;
    // 4 MiB slices measured as fast as or faster than 64 MiB ones (docs/benchmarks.md).
    private const ulong SliceBytes = 4UL << 20;

    /// <summary>Off a terminal, prealloc taking longer than this prints one line at the end.</summary>
    public static readonly TimeSpan SummaryThreshold = TimeSpan.FromSeconds(1);

    /// <summary>QEMU's get_memset_num_threads.</summary>
    public static int ThreadCount(ulong pageSize, ulong pages, int maxThreads)
    {
        ulong threads = (ulong)Math.Min(Math.Min(Environment.ProcessorCount, MaxThreads), Math.Max(maxThreads, 1));
        threads = Math.Min(threads, pages);
        // Don't start threads to preallocate comparatively little memory.
        threads = Math.Min(threads, Math.Max(1, pageSize * pages / (64UL << 20)));
        return (int)Math.Max(threads, 1);
    }

    /// <summary>
    /// Faults in [0, size) of <paramref name="region"/>; throws QEMU's prealloc error. On a
    /// terminal (<see cref="StderrSink.Terminal"/>) a progress bar shows bytes done, rate and time
    /// left; otherwise one line with size and rate is reported when it took over a second.
    /// </summary>
    /// <param name="fd">The backing file of a shared mapping (blocks are allocated up front), or null.</param>
    public static void Run(MappedRegion region, SafeFdHandle? fd, bool shared, ulong size, ulong pageSize, int maxThreads, string label,
        StderrSink stderr, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        long started = clock.GetTimestamp();
        ulong pages = size / pageSize + (size % pageSize == 0 ? 0UL : 1UL);
        if (pages == 0)
        {
            return;
        }
        // A read-only mapping cannot be populated for writing (QEMU 7.2 crashes on it with
        // prealloc=on,readonly=on); populating it for reading is the useful equivalent.
        int advice = region.IsWritable ? Libc.MADV_POPULATE_WRITE : Libc.MADV_POPULATE_READ;
        int probe = region.Advise(0, pageSize, advice);
        bool populate = probe == 0 || probe != Libc.EINVAL;
        if (!populate && !region.IsWritable)
        {
            return;
        }
        if (populate && region.IsWritable && shared && fd is not null)
        {
            AllocateBlocks(fd, pages * pageSize);
        }

        int threads = ThreadCount(pageSize, pages, maxThreads);
        TextWriter? terminal = stderr.Terminal;
        if (populate && threads == 1 && terminal is null)
        {
            int errno = region.Advise(0, pages * pageSize, advice);
            if (errno != 0)
            {
                throw BackendMessages.PreallocFailed(errno);
            }
            Summarize(stderr, label, size, clock.GetElapsedTime(started));
            return;
        }

        var work = new Work(region, pageSize, populate, advice);
        var workers = new Thread[threads];
        ulong perThread = pages / (ulong)threads;
        ulong leftover = pages % (ulong)threads;
        ulong nextPage = 0;
        for (int i = 0; i < threads; i++)
        {
            ulong first = nextPage;
            ulong count = perThread + ((ulong)i < leftover ? 1UL : 0UL);
            nextPage += count;
            workers[i] = new Thread(() => work.Touch(first, count)) { IsBackground = true, Name = $"prealloc {label} #{i}" };
            workers[i].Start();
        }

        if (terminal is not null)
        {
            ShowProgress(terminal, work, workers, pages * pageSize, label);
        }
        foreach (Thread worker in workers)
        {
            worker.Join();
        }
        if (work.Errno != 0)
        {
            throw BackendMessages.PreallocFailed(work.Errno);
        }
        if (terminal is null)
        {
            Summarize(stderr, label, size, clock.GetElapsedTime(started));
        }
    }

    /// <summary>The line printed off a terminal, e.g. "preallocated 1 GiB for 'mem1' in 1.52 s (674 MiB/s)".</summary>
    public static string SummaryLine(string label, ulong size, TimeSpan elapsed)
    {
        double seconds = Math.Max(elapsed.TotalSeconds, 1e-9);
        return string.Create(CultureInfo.InvariantCulture,
            $"preallocated {FormatBytes(size)} for '{label}' in {seconds:0.00} s ({FormatBytes((ulong)Math.Min(size / seconds, ulong.MaxValue))}/s)");
    }

    /// <summary>Bytes in the largest binary unit that keeps the number at least 1, with up to one decimal: "1 GiB", "1.5 GiB", "674 MiB".</summary>
    public static string FormatBytes(ulong bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{(unit == 0 ? value : Math.Round(value, 1)):0.#} {units[unit]}");
    }

    private static void Summarize(StderrSink stderr, string label, ulong size, TimeSpan elapsed)
    {
        if (stderr.Terminal is null && elapsed > SummaryThreshold)
        {
            stderr.Report(SummaryLine(label, size, elapsed));
        }
    }

    // On a disk file system one fallocate allocates a regular file's blocks as extents instead of
    // page by page at each write fault (ext4: 108 ms instead of 195 ms for 1 GiB; the fallocate
    // itself takes ~10 ms). Not on tmpfs or hugetlbfs (memfd included): there fallocate would
    // zero every page on one thread, before the progress bar could move, for no gain. Existing
    // data is left alone (mode 0 only fills holes). A failure (ENOSPC, EOPNOTSUPP) is left to the
    // populate after it, which reports it as QEMU does.
    private static void AllocateBlocks(SafeFdHandle fd, ulong length)
    {
        if (Libc.fstat(fd, out Libc.Stat st) != 0 || (st.st_mode & Libc.S_IFMT) != Libc.S_IFREG || length > long.MaxValue
            || Libc.fstatfs(fd, out Libc.StatFs fs) != 0 || fs.f_type is Libc.TMPFS_MAGIC or Libc.HUGETLBFS_MAGIC)
        {
            return;
        }
        Libc.fallocate(fd, 0, 0, (long)length);
    }

    private static void ShowProgress(TextWriter terminal, Work work, Thread[] workers, ulong bytes, string label)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(terminal) });
        console.Progress()
            .AutoClear(true)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape($"Preallocating {label}"), maxValue: bytes);
                while (workers.Any(w => w.IsAlive))
                {
                    task.Value = Interlocked.Read(ref work.DonePages) * (double)work.PageSize;
                    Thread.Sleep(100);
                }
                task.Value = bytes;
            });
    }

    private sealed class Work(MappedRegion region, ulong pageSize, bool populate, int advice)
    {
        public long DonePages;
        private int _errno;

        public ulong PageSize => pageSize;

        public int Errno => Volatile.Read(ref _errno);

        public void Touch(ulong firstPage, ulong count)
        {
            ulong slicePages = Math.Max(1, SliceBytes / pageSize);
            for (ulong page = firstPage; page < firstPage + count && Errno == 0; page += slicePages)
            {
                ulong pages = Math.Min(slicePages, firstPage + count - page);
                if (populate)
                {
                    int errno = region.Advise(page * pageSize, pages * pageSize, advice);
                    if (errno != 0)
                    {
                        Interlocked.CompareExchange(ref _errno, errno, 0);
                        return;
                    }
                }
                else
                {
                    // Without MADV_POPULATE_WRITE a fault QEMU would catch as SIGBUS (full disk,
                    // no huge pages) ends the process; kernels since 5.14 take the path above.
                    region.TouchPages(page * pageSize, pages, pageSize);
                }
                Interlocked.Add(ref DonePages, (long)pages);
            }
        }
    }
}
