namespace Vnvdimm.Guest.Nd;

/// <summary>
/// How libnvdimm reaches a DIMM's firmware (the bus provider's <c>ndctl</c> callback): the NFIT
/// driver implements it with <c>_DSM</c> functions 4/5/6 or the <c>_LSI/_LSR/_LSW</c> methods.
/// Each call returns 0 or a negative errno, with the firmware status already translated as Linux does.
/// </summary>
public interface INvdimmCommands
{
    int GetConfigSize(out NdConfigSize size);

    /// <summary>One Get Config Data command: <paramref name="destination"/>.Length bytes from <paramref name="offset"/>.</summary>
    int GetConfigData(uint offset, Span<byte> destination);

    /// <summary>One Set Config Data command.</summary>
    int SetConfigData(uint offset, ReadOnlySpan<byte> source);
}
