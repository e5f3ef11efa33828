namespace Vnvdimm.Formats.Aml;

/// <summary>LockRule, bit 4 of FieldFlags.</summary>
public enum AmlFieldLockRule : byte
{
    NoLock = 0,
    Lock = 1,
}
