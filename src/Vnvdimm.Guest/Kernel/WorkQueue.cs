namespace Vnvdimm.Guest.Kernel;

/// <summary>
/// A single-threaded kernel work queue: items run one after another on pool threads, in the order
/// queued, as the ACPI event handlers (kacpid, kacpi_notify) run in Linux. <see cref="Flush"/>
/// waits for everything queued so far, as <c>udevadm settle</c> does before a command looks.
/// </summary>
internal sealed class WorkQueue(KernelLog log)
{
    private readonly Lock _lock = new();
    private Task _tail = Task.CompletedTask;

    public void Queue(Action work)
    {
        lock (_lock)
        {
            _tail = _tail.ContinueWith(
                _ =>
                {
                    try
                    {
                        work();
                    }
                    catch (Exception e)
                    {
                        // A failing handler must not stop later events; Linux would oops here.
                        log.Write($"BUG: event handler failed: {e.Message}");
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.None,
                TaskScheduler.Default);
        }
    }

    public void Flush()
    {
        // Work may queue more work (an SCI raised while a handler runs): wait until the queue is still.
        while (true)
        {
            Task tail;
            lock (_lock)
            {
                tail = _tail;
            }
            tail.Wait();
            lock (_lock)
            {
                if (ReferenceEquals(tail, _tail))
                {
                    return;
                }
            }
        }
    }
}
