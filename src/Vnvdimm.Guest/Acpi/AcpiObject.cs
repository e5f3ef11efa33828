namespace Vnvdimm.Guest.Acpi;

/// <summary>
/// An ACPI object as methods see it and return it: <see cref="AcpiInteger"/>, <see cref="AcpiString"/>,
/// <see cref="AcpiBuffer"/>, <see cref="AcpiPackage"/>, <see cref="AcpiReference"/> or
/// <see cref="AcpiUninitialized"/>. The interpreter's own objects (devices, methods, regions, fields)
/// derive from it too but stay internal.
/// </summary>
public abstract class AcpiObject
{
    // Only this assembly defines object kinds: the interpreter switches over them exhaustively.
    private protected AcpiObject()
    {
    }

    public abstract AcpiObjectType Type { get; }

    /// <summary>
    /// Structural equality of two data objects: same type and value, buffers byte for byte,
    /// packages element by element. Other objects are equal only to themselves.
    /// </summary>
    public static bool DeepEquals(AcpiObject? left, AcpiObject? right)
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }
        return (left, right) switch
        {
            (AcpiInteger a, AcpiInteger b) => a.Value == b.Value,
            (AcpiString a, AcpiString b) => a.Value == b.Value,
            (AcpiBuffer a, AcpiBuffer b) => a.Span.SequenceEqual(b.Span),
            (AcpiPackage a, AcpiPackage b) => PackagesEqual(a, b),
            (AcpiUninitialized, AcpiUninitialized) => true,
            (AcpiReference a, AcpiReference b) => a.TargetPath is not null && a.TargetPath == b.TargetPath,
            _ => false,
        };
    }

    private static bool PackagesEqual(AcpiPackage a, AcpiPackage b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }
        for (int i = 0; i < a.Count; i++)
        {
            if (!DeepEquals(a[i], b[i]))
            {
                return false;
            }
        }
        return true;
    }
}
