namespace Vnvdimm.Guest.Kernel;

/// <summary>The guest kernel's message buffer (what <c>dmesg</c> shows): driver messages in Linux's words.</summary>
public sealed class KernelLog
{
    private readonly List<string> _lines = [];
    private readonly Lock _lock = new();

    /// <summary>Every message so far, oldest first.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public void Write(string message)
    {
        lock (_lock)
        {
            _lines.Add(message);
        }
    }

    /// <summary>A message from a device, prefixed as <c>dev_err</c> and friends prefix it ("nfit ACPI0012:00: …").</summary>
    public void Device(string device, string message) => Write($"{device}: {message}");
}
