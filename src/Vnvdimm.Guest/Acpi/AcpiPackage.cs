using System.Collections.ObjectModel;

namespace Vnvdimm.Guest.Acpi;

/// <summary>A Package: a fixed number of elements, each any object (uninitialised ones are <see cref="AcpiUninitialized"/>).</summary>
public sealed class AcpiPackage : AcpiObject
{
    private ReadOnlyCollection<AcpiObject>? _view;

    /// <summary>A package of <paramref name="elements"/> (the objects themselves, not copies).</summary>
    public AcpiPackage(params ReadOnlySpan<AcpiObject> elements)
    {
        Items = elements.ToArray();
        foreach (AcpiObject element in Items)
        {
            ArgumentNullException.ThrowIfNull(element, nameof(elements));
        }
    }

    internal AcpiPackage(AcpiObject[] items) => Items = items;

    public int Count => Items.Length;

    public AcpiObject this[int index] => Items[index];

    public IReadOnlyList<AcpiObject> Elements => _view ??= Array.AsReadOnly(Items);

    public override AcpiObjectType Type => AcpiObjectType.Package;

    /// <summary>The elements; AML replaces them through Index stores.</summary>
    internal AcpiObject[] Items { get; }

    public override string ToString() => $"Package({Items.Length}){{{string.Join(", ", Items.Select(e => e.ToString()))}}}";
}
