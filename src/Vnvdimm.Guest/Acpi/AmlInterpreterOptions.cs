namespace Vnvdimm.Guest.Acpi;

/// <summary>Limits and behaviour switches of an <see cref="AmlInterpreter"/>.</summary>
public sealed class AmlInterpreterOptions
{
    /// <summary>
    /// How long one While loop may run before it is aborted with AE_AML_LOOP_TIMEOUT. Since release
    /// 20170929 ACPICA bounds loops by time (ACPI_MAX_LOOP_TIMEOUT = 30 seconds, checked after each
    /// iteration) instead of its former 0xFFFF-iteration count.
    /// </summary>
    public TimeSpan LoopTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Deepest method-call nesting (AE_AML_METHOD_LIMIT beyond it). ACPICA stops a method re-entered
    /// 255 times; the same bound applies here to the whole call chain.
    /// </summary>
    public int MaxCallDepth { get; init; } = 255;

    /// <summary>
    /// Integer width (32 or 64) until a DSDT is loaded; loading a DSDT sets it from the DSDT's revision
    /// as ACPICA does (revision &lt; 2 → 32 bits), whatever the SSDTs' revisions.
    /// </summary>
    public int InitialIntegerWidth { get; init; } = 64;

    /// <summary>
    /// Receives Notify(device, value): the device's path (e.g. <c>\_SB.NVDR</c>) and the value. As in
    /// Linux, notifications are delivered after the evaluation that raised them has finished, on the
    /// evaluating thread, so the handler may evaluate methods itself.
    /// </summary>
    public Action<string, uint>? NotifyHandler { get; init; }

    /// <summary>
    /// Store a Buffer into a named non-empty Buffer the way ACPICA does: copy in place, truncated or
    /// zero-extended to the target's length. Off by default, which follows the ACPI specification
    /// (the name gets a copy of the source). QEMU's <c>_LSW</c> grows its INPT buffer with
    /// <c>Concatenate (INPT, Local2, INPT)</c> and only works with the specification's rule.
    /// </summary>
    public bool AcpicaBufferStoreTruncation { get; init; }
}
