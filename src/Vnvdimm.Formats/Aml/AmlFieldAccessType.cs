namespace Vnvdimm.Formats.Aml;

/// <summary>AccessType, bits 0-3 of FieldFlags.</summary>
public enum AmlFieldAccessType : byte
{
    AnyAcc = 0,
    ByteAcc = 1,
    WordAcc = 2,
    DWordAcc = 3,
    QWordAcc = 4,
    BufferAcc = 5,
}
