namespace Vnvdimm.Formats.Aml;

/// <summary>UpdateRule, bits 5-6 of FieldFlags.</summary>
public enum AmlFieldUpdateRule : byte
{
    Preserve = 0,
    WriteAsOnes = 1,
    WriteAsZeros = 2,
}
