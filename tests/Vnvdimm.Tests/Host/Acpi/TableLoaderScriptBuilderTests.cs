using Vnvdimm.Formats.Acpi.Loader;
using Vnvdimm.Host.Acpi;

namespace Vnvdimm.Tests.Host.Acpi;

public sealed class TableLoaderScriptBuilderTests
{
    [Fact]
    public void Allocations_go_first_in_reverse_order_of_addition()
    {
        var builder = new TableLoaderScriptBuilder();
        builder.Allocate("a", 64, TableLoaderZone.High);
        builder.AddTableChecksum("a", new AcpiTableLocation(0, 36));
        builder.Allocate("b", 4096, TableLoaderZone.High);
        builder.AddPointer("a", "b", 10, 4);
        builder.Allocate("c", 16, TableLoaderZone.FSeg);

        Assert.Equal(
            ["c", "b", "a", "a", "a"],
            builder.Commands.Select(c => c.File));
        Assert.Equal(
            [TableLoaderCommandType.Allocate, TableLoaderCommandType.Allocate, TableLoaderCommandType.Allocate, TableLoaderCommandType.AddChecksum, TableLoaderCommandType.AddPointer],
            builder.Commands.Select(c => c.Type));
        Assert.Equal(5 * TableLoaderCommandLayout.Size, builder.ToArray().Length);
    }
}
