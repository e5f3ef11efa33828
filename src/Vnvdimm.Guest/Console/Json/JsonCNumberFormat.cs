namespace Vnvdimm.Guest.Console.Json;

/// <summary>How an integer prints: plainly, or with ndctl's -u serializers.</summary>
public enum JsonCNumberFormat
{
    Plain,

    /// <summary>display_size: "255.88 MiB (268.30 MB)", plain below 5000 KiB.</summary>
    Size,

    /// <summary>display_hex: "%#llx" in quotes ("0x1", and "0" for zero).</summary>
    Hex,
}
