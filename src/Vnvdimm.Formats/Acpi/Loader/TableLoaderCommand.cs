using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace Vnvdimm.Formats.Acpi.Loader;

/// <summary>
/// One linker/loader command. Which fields matter depends on <see cref="Type"/>:
/// Allocate uses File, Alignment, Zone; AddPointer uses File (destination), SourceFile, Offset,
/// Size; AddChecksum uses File, Offset (the checksum byte), Start, Length; WritePointer uses File
/// (destination), SourceFile, Offset, SourceOffset, Size.
/// </summary>
public readonly record struct TableLoaderCommand(
    TableLoaderCommandType Type,
    string File,
    string SourceFile = "",
    uint Alignment = 0,
    TableLoaderZone Zone = 0,
    uint Offset = 0,
    byte Size = 0,
    uint Start = 0,
    uint Length = 0,
    uint SourceOffset = 0)
{
    public static TableLoaderCommand Allocate(string file, uint alignment, TableLoaderZone zone) =>
        new(TableLoaderCommandType.Allocate, file, Alignment: alignment, Zone: zone);

    /// <summary>Adds the address of <paramref name="sourceFile"/> to the <paramref name="size"/>-byte pointer at <paramref name="offset"/> in <paramref name="destinationFile"/>.</summary>
    public static TableLoaderCommand AddPointer(string destinationFile, string sourceFile, uint offset, byte size) =>
        new(TableLoaderCommandType.AddPointer, destinationFile, sourceFile, Offset: offset, Size: size);

    /// <summary>Makes bytes [<paramref name="start"/>, +<paramref name="length"/>) of <paramref name="file"/> sum to zero by adjusting the byte at <paramref name="checksumOffset"/>.</summary>
    public static TableLoaderCommand AddChecksum(string file, uint checksumOffset, uint start, uint length) =>
        new(TableLoaderCommandType.AddChecksum, file, Offset: checksumOffset, Start: start, Length: length);

    public void WriteTo(Span<byte> destination)
    {
        Span<byte> entry = destination[..TableLoaderCommandLayout.Size];
        entry.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(entry[TableLoaderCommandLayout.TypeOffset..], (uint)Type);
        WriteFileName(entry.Slice(TableLoaderCommandLayout.FileOffset, TableLoaderCommandLayout.FileNameLength), File);
        switch (Type)
        {
            case TableLoaderCommandType.Allocate:
                BinaryPrimitives.WriteUInt32LittleEndian(entry[TableLoaderCommandLayout.AllocateAlignmentOffset..], Alignment);
                entry[TableLoaderCommandLayout.AllocateZoneOffset] = (byte)Zone;
                break;
            case TableLoaderCommandType.AddPointer:
                WriteFileName(entry.Slice(TableLoaderCommandLayout.SourceFileOffset, TableLoaderCommandLayout.FileNameLength), SourceFile);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[TableLoaderCommandLayout.PointerOffsetOffset..], Offset);
                entry[TableLoaderCommandLayout.PointerSizeOffset] = Size;
                break;
            case TableLoaderCommandType.AddChecksum:
                BinaryPrimitives.WriteUInt32LittleEndian(entry[TableLoaderCommandLayout.ChecksumResultOffset..], Offset);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[TableLoaderCommandLayout.ChecksumStartOffset..], Start);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[TableLoaderCommandLayout.ChecksumLengthOffset..], Length);
                break;
            case TableLoaderCommandType.WritePointer:
                WriteFileName(entry.Slice(TableLoaderCommandLayout.SourceFileOffset, TableLoaderCommandLayout.FileNameLength), SourceFile);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[TableLoaderCommandLayout.WritePointerDestinationOffset..], Offset);
                BinaryPrimitives.WriteUInt32LittleEndian(entry[TableLoaderCommandLayout.WritePointerSourceOffset..], SourceOffset);
                entry[TableLoaderCommandLayout.WritePointerSizeOffset] = Size;
                break;
            default:
                throw new InvalidOperationException($"cannot encode linker/loader command type {(uint)Type}");
        }
    }

    /// <summary>
    /// Parses one entry. Unknown command types (including 0, padding) parse successfully with only
    /// <see cref="Type"/> set, since firmware must skip them. Known types fail on a file name
    /// without its NUL, a pointer size other than 1/2/4/8, an alignment that is not a power of two,
    /// or an unknown zone.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out TableLoaderCommand command, out string? error)
    {
        command = default;
        if (source.Length < TableLoaderCommandLayout.Size)
        {
            error = $"{source.Length} bytes cannot hold a {TableLoaderCommandLayout.Size}-byte linker/loader command";
            return false;
        }
        var type = (TableLoaderCommandType)BinaryPrimitives.ReadUInt32LittleEndian(source[TableLoaderCommandLayout.TypeOffset..]);
        if (type is < TableLoaderCommandType.Allocate or > TableLoaderCommandType.WritePointer)
        {
            command = new TableLoaderCommand(type, string.Empty);
            error = null;
            return true;
        }
        if (!TryReadFileName(source.Slice(TableLoaderCommandLayout.FileOffset, TableLoaderCommandLayout.FileNameLength), out string file, out error))
        {
            return false;
        }
        switch (type)
        {
            case TableLoaderCommandType.Allocate:
            {
                uint alignment = BinaryPrimitives.ReadUInt32LittleEndian(source[TableLoaderCommandLayout.AllocateAlignmentOffset..]);
                var zone = (TableLoaderZone)source[TableLoaderCommandLayout.AllocateZoneOffset];
                if (!BitOperations.IsPow2(alignment))
                {
                    error = $"allocation of '{file}' has alignment {alignment}, not a power of two";
                    return false;
                }
                if (zone is not (TableLoaderZone.High or TableLoaderZone.FSeg))
                {
                    error = $"allocation of '{file}' names unknown zone {(byte)zone}";
                    return false;
                }
                command = Allocate(file, alignment, zone);
                return true;
            }
            case TableLoaderCommandType.AddPointer:
            case TableLoaderCommandType.WritePointer:
            {
                if (!TryReadFileName(source.Slice(TableLoaderCommandLayout.SourceFileOffset, TableLoaderCommandLayout.FileNameLength), out string sourceFile, out error))
                {
                    return false;
                }
                bool add = type == TableLoaderCommandType.AddPointer;
                byte size = source[add ? TableLoaderCommandLayout.PointerSizeOffset : TableLoaderCommandLayout.WritePointerSizeOffset];
                if (size is not (1 or 2 or 4 or 8))
                {
                    error = $"pointer into '{file}' has size {size}; sizes are 1, 2, 4 or 8";
                    return false;
                }
                int offsetField = add ? TableLoaderCommandLayout.PointerOffsetOffset : TableLoaderCommandLayout.WritePointerDestinationOffset;
                uint offset = BinaryPrimitives.ReadUInt32LittleEndian(source[offsetField..]);
                uint sourceOffset = add ? 0 : BinaryPrimitives.ReadUInt32LittleEndian(source[TableLoaderCommandLayout.WritePointerSourceOffset..]);
                command = new TableLoaderCommand(type, file, sourceFile, Offset: offset, Size: size, SourceOffset: sourceOffset);
                return true;
            }
            default:
                command = AddChecksum(
                    file,
                    BinaryPrimitives.ReadUInt32LittleEndian(source[TableLoaderCommandLayout.ChecksumResultOffset..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(source[TableLoaderCommandLayout.ChecksumStartOffset..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(source[TableLoaderCommandLayout.ChecksumLengthOffset..]));
                return true;
        }
    }

    private static void WriteFileName(Span<byte> field, string name)
    {
        if (name.Length == 0 || name.Length >= field.Length || !Ascii.IsValid(name))
        {
            throw new ArgumentException($"fw_cfg file name '{name}' must be 1 to {field.Length - 1} ASCII characters");
        }
        Encoding.ASCII.GetBytes(name, field);
    }

    private static bool TryReadFileName(ReadOnlySpan<byte> field, out string name, out string? error)
    {
        name = string.Empty;
        int end = field.IndexOf((byte)0);
        if (end <= 0)
        {
            error = end == 0 ? "empty fw_cfg file name" : $"fw_cfg file name is not NUL-terminated within {field.Length} bytes";
            return false;
        }
        if (!Ascii.IsValid(field[..end]))
        {
            error = "fw_cfg file name is not ASCII";
            return false;
        }
        name = Encoding.ASCII.GetString(field[..end]);
        error = null;
        return true;
    }
}
