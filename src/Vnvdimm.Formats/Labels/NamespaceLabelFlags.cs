namespace Vnvdimm.Formats.Labels;

/// <summary>Namespace label flags (research §2.7).</summary>
[Flags]
public enum NamespaceLabelFlags : uint
{
    None = 0,
    ReadOnly = 0x1,
    /// <summary>BLK-style label; never set for pmem (old kernels skip such labels in pmem regions).</summary>
    Local = 0x2,
    /// <summary>v1.1 "BTT", reserved since.</summary>
    Btt = 0x4,
    /// <summary>Intermediate state while the kernel rewrites a label; tolerated on read.</summary>
    Updating = 0x8,
}
