using Spectre.Console;
using Vnvdimm.Host.Interop;

namespace Vnvdimm.Host.Backends;

/// <summary>
/// QEMU 7.2's qemu_prealloc_mem: fault in every page of a mapping, with MADV_POPULATE_WRITE when
/// the kernel has it (no SIGBUS on a full file system, just an error) and by writing one byte
/// per page otherwise, split over worker threads.
/// </summary>
internal static class Preallocator
{
    // QEMU's MAX_MEM_PREALLOC_THREAD_COUNT.
    private const int MaxThreads = 16;

    // Work is handed out in slices this large so a progress bar can move.
    private const ulong SliceBytes = 64UL << 20;

    /// <summary>QEMU's get_memset_num_threads.</summary>
    public static int ThreadCount(ulong pageSize, ulong pages, int maxThreads)
    {
        ulong threads = (ulong)Math.Min(Math.Min(Environment.ProcessorCount, MaxThreads), Math.Max(maxThreads, 1));
        threads = Math.Min(threads, pages);
        // Don't start threads to preallocate comparatively little memory.
        threads = Math.Min(threads, Math.Max(1, pageSize * pages / (64UL << 20)));
        return (int)Math.Max(threads, 1);
    }

    /// <summary>Faults in [0, size) of <paramref name="region"/>; throws QEMU's prealloc error.</summary>
    public static void Run(MappedRegion region, ulong size, ulong pageSize, int maxThreads, string label)
    {
        ulong pages = (size + pageSize - 1) / pageSize;
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

        int threads = ThreadCount(pageSize, pages, maxThreads);
        bool showProgress = !Console.IsErrorRedirected;
        if (populate && threads == 1 && !showProgress)
        {
            int errno = region.Advise(0, pages * pageSize, advice);
            if (errno != 0)
            {
                throw BackendMessages.PreallocFailed(errno);
            }
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

        if (showProgress)
        {
            ShowProgress(work, workers, pages, label);
        }
        foreach (Thread worker in workers)
        {
            worker.Join();
        }
        if (work.Errno != 0)
        {
            throw BackendMessages.PreallocFailed(work.Errno);
        }
    }

    private static void ShowProgress(Work work, Thread[] workers, ulong pages, string label)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .AutoClear(true)
            .Start(context =>
            {
                ProgressTask task = context.AddTask(Markup.Escape($"Preallocating {label}"), maxValue: pages);
                while (workers.Any(w => w.IsAlive))
                {
                    task.Value = Interlocked.Read(ref work.DonePages);
                    Thread.Sleep(100);
                }
                task.Value = pages;
            });
    }

    private sealed class Work(MappedRegion region, ulong pageSize, bool populate, int advice)
    {
        public long DonePages;
        private int _errno;

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
