using System.Diagnostics;
using Vnvdimm.Cli;
using Vnvdimm.Formats.InfoBlocks;
using Vnvdimm.Formats.Labels;
using Vnvdimm.Tests.Formats.Labels;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Cli;

/// <summary>
/// Issue 10 item 7: 200 mutated backend images (fixed seed) through `vnvdimm image … -- ndctl list
/// -NRDi / read-labels -j / check-labels` and through a guest boot with the image as a share=off
/// backend running `ndctl list -NRDi`. The bases are fresh images with one namespace in each mode
/// and the lab image Linux wrote; the mutations are bit flips and bursts in the index blocks, the
/// labels and the info blocks (with and without re-fixed checksums, so the deeper readers run),
/// truncation, and a label-size that does not match the image. Every case must end in bounded time
/// with no exception and no stack trace, and must leave the image's bytes and mtime as they were.
/// </summary>
public sealed class MutatedBackendImageFuzzTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int Cases = int.TryParse(Environment.GetEnvironmentVariable("VNVDIMM_FUZZ_CASES"), out int n) ? n : 200;
    private const int Seed = 0x10_0007;
    private const int LabelAreaSize = 128 * 1024;
    private const long BaseImageSize = 64L << 20;
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromSeconds(15);

    private readonly ScratchDirectory scratch = new("vnvdimm-image-fuzz-");

    public void Dispose() => scratch.Dispose();

    /// <summary>A valid image to mutate: its bytes as (offset, data) extents over a sparse file, and where its structures are.</summary>
    private sealed record BaseImage(string Name, long Length, List<(long Offset, byte[] Data)> Extents, int LabelSize, int[] UsedSlots, long InfoBlockDpa);

    private enum Mutation
    {
        IndexFlips,
        IndexFlipsFixed,
        LabelFlips,
        LabelFlipsFixed,
        InfoBlockFlips,
        InfoBlockFlipsFixed,
        Burst,
        ExtremeFields,
        Truncation,
        LabelSizeMismatch,
    }

    [Fact]
    public void Mutated_images_never_crash_hang_or_change_under_read_only_commands()
    {
        var total = Stopwatch.StartNew();
        List<BaseImage> bases = [.. new[] { "raw", "fsdax", "devdax", "sector" }.Select(CreateBase), LabBase()];
        output.WriteLine($"bases ready in {total.ElapsedMilliseconds} ms");

        var random = new Random(Seed);
        var failures = new List<string>();
        var mutations = Enum.GetValues<Mutation>();
        var spent = new Dictionary<string, long>(StringComparer.Ordinal);
        for (int i = 0; i < Cases; i++)
        {
            BaseImage source = bases[i % bases.Count];
            Mutation mutation = mutations[random.Next(mutations.Length)];
            string image = scratch.File($"case{i}.img");
            int labelSize = 0;
            Timed(spent, "materialize", () => labelSize = Materialize(source, mutation, random, image));
            string label = $"case {i} ({source.Name}, {mutation}, label-size {labelSize})";

            var before = (SparseFileFingerprint.Of(image), File.GetLastWriteTimeUtc(image));
            string labelSizeText = $"{labelSize / 1024}K";
            string[][] commands =
            [
                [image, "--label-size", labelSizeText, "--", "ndctl", "list", "-NRDi"],
                [image, "--label-size", labelSizeText, "--", "ndctl", "read-labels", "-j", "nmem0"],
                [image, "--label-size", labelSizeText, "--", "ndctl", "check-labels", "nmem0"],
            ];
            foreach (string[] command in commands)
            {
                Timed(spent, command[5], () => Check(failures, $"{label}: image {command[4]} {command[5]}", () => RunImage(command)));
            }
            Timed(spent, "boot", () => Check(failures, $"{label}: guest boot", () => Boot(image, source.Length, labelSizeText)));
            if ((SparseFileFingerprint.Of(image), File.GetLastWriteTimeUtc(image)) != before)
            {
                failures.Add($"{label}: a read-only command changed the image");
            }
            File.Delete(image);
        }
        output.WriteLine($"{Cases} cases in {total.ElapsedMilliseconds} ms: " + string.Join(", ", spent.Select(p => $"{p.Key} {p.Value} ms")));
        foreach ((string outcome, int count) in outcomes)
        {
            output.WriteLine($"{count,4} {outcome}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void The_fingerprint_sees_even_zeros_written_into_a_hole()
    {
        string path = scratch.File("sparse.img");
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            RandomAccess.SetLength(handle, 8L << 20);
            RandomAccess.Write(handle, new byte[] { 1 }, 4096);
        }
        string before = SparseFileFingerprint.Of(path);
        Assert.Equal(before, SparseFileFingerprint.Of(path));
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.Write(handle, new byte[4096], 4L << 20);
        }
        Assert.NotEqual(before, SparseFileFingerprint.Of(path));
    }

    /// <summary>Runs one command on a worker with a deadline; an escaped exception, a stack trace or a hang is a failure.</summary>
    private readonly SortedDictionary<string, int> outcomes = new(StringComparer.Ordinal);

    private void Check(List<string> failures, string label, Func<(int Exit, string Stdout, string Stderr)> run)
    {
        var lastResort = new List<Exception>();
        var task = Task.Run(() =>
        {
            FailureText.Witness.Value = e => lastResort.Add(e);
            return run();
        });
        try
        {
            if (!task.Wait(CaseTimeout))
            {
                failures.Add($"{label}: no answer within {CaseTimeout.TotalSeconds} s");
                return;
            }
        }
        catch (AggregateException e)
        {
            failures.Add($"{label}: exception escaped: {e.InnerException}");
            return;
        }
        (int exit, string stdout, string stderr) = task.Result;
        string what = label[(label.IndexOf(':', StringComparison.Ordinal) + 2)..];
        string first = stderr.Split('\n')[0];
        string key = $"{what} exit {exit}: {(first.Length > 70 ? first[..70] : first)}";
        outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
        if (lastResort.Count > 0)
        {
            failures.Add($"{label}: exception reached the last-resort handler: {lastResort[0]}");
        }
        string text = stdout + stderr;
        if (text.Contains("Unhandled exception", StringComparison.Ordinal) || text.Contains("   at ", StringComparison.Ordinal)
            || text.Contains("Exception", StringComparison.Ordinal))
        {
            failures.Add($"{label}: exit {exit}, stack trace or exception text:\n{stderr}");
        }
    }

    private static void Timed(Dictionary<string, long> spent, string what, Action action)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        spent[what] = spent.GetValueOrDefault(what) + (long)Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    private static (int, string, string) RunImage(string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exit = VnvdimmProgram.Run(["image", .. args], new StringReader(string.Empty), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// The built-in guest with the image as a read-only private backend (QEMU then needs unarmed=on):
    /// the guest can never write the file, and an empty file is not extended to size= as QEMU does
    /// for a writable backend.
    /// </summary>
    private static (int, string, string) Boot(string image, long size, string labelSize)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int exit = VnvdimmProgram.Run(
        [
            "-machine", "pc,nvdimm=on", "-m", "256M,slots=2,maxmem=2G",
            "-object", $"memory-backend-file,id=mem1,share=off,readonly=on,mem-path={image},size={size}",
            "-device", $"nvdimm,id=nvdimm1,memdev=mem1,label-size={labelSize},unarmed=on", "-serial", "stdio",
        ], new StringReader("ndctl list -NRDi\n"), stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private BaseImage CreateBase(string mode)
    {
        string path = scratch.File($"base-{mode}.img");
        // v1.1 labels for raw and fsdax, v1.2 (with label checksums, BTT 2.0 at offset 0) for the others.
        string version = mode is "raw" or "fsdax" ? "1.1" : "1.2";
        string[] prefix = [path, "--label-size", "128K", "--", "ndctl"];
        Assert.Equal(0, RunImage([path, "--size", "64M", "--label-size", "128K", "--", "ndctl", "init-labels", "-V", version, "nmem0"]).Item1);
        var create = RunImage([.. prefix, "create-namespace", "-m", mode, "-s", "32M"]);
        Assert.True(create.Item1 == 0, create.Item3);
        BaseImage image = Capture(path, mode, version == "1.1" ? LabelAreaGeometry.LabelSizeV11 : LabelAreaGeometry.LabelSizeV12);
        File.Delete(path);
        return image;
    }

    private static BaseImage LabBase() => Capture(LabBackendImage.ImagePath, "lab", LabelAreaGeometry.LabelSizeV11);

    /// <summary>Reads an image's non-zero 64 KiB blocks once, so each case is a cheap sparse copy.</summary>
    private static BaseImage Capture(string path, string name, int labelSize)
    {
        var extents = new List<(long, byte[])>();
        using FileStream stream = File.OpenRead(path);
        byte[] block = new byte[64 * 1024];
        for (long offset = 0; offset < stream.Length; offset += block.Length)
        {
            int read = stream.Read(block, 0, (int)Math.Min(block.Length, stream.Length - offset));
            if (block.AsSpan(0, read).IndexOfAnyExcept((byte)0) >= 0)
            {
                extents.Add((offset, block[..read]));
            }
        }
        byte[] area = new byte[LabelAreaSize];
        stream.Seek(-LabelAreaSize, SeekOrigin.End);
        stream.ReadExactly(area);
        Assert.True(LabelArea.TryRead(area, out LabelArea? labels, out IReadOnlyList<string> problems), string.Join("; ", problems));
        int[] used = [.. Enumerable.Range(0, labels!.Geometry.SlotCount)
            .Where(slot => area.AsSpan(labels.Geometry.SlotOffset(slot), labels.Geometry.LabelSize).IndexOfAnyExcept((byte)0) >= 0)];
        long dpa = used.Length == 0 ? 0 : (long)BitConverter.ToUInt64(area, labels.Geometry.SlotOffset(used[0]) + NamespaceLabelLayout.DpaOffset);
        return new BaseImage(name, stream.Length, extents, labelSize, used, dpa);
    }

    /// <summary>Writes the base into <paramref name="path"/> (sparse), applies the mutation, returns the label-size to open it with.</summary>
    private static int Materialize(BaseImage source, Mutation mutation, Random random, string path)
    {
        using (var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite))
        {
            RandomAccess.SetLength(handle, source.Length);
            foreach ((long offset, byte[] data) in source.Extents)
            {
                RandomAccess.Write(handle, data, offset);
            }
            long areaStart = source.Length - LabelAreaSize;
            byte[] area = new byte[LabelAreaSize];
            RandomAccess.Read(handle, area, areaStart);
            int indexSize = (int)BitConverter.ToUInt64(area, NamespaceIndexBlockLayout.MySizeOffset);
            indexSize = indexSize is > 0 and <= LabelAreaSize / 2 ? indexSize : 256;
            switch (mutation)
            {
                case Mutation.IndexFlips or Mutation.IndexFlipsFixed:
                {
                    int block = random.Next(2);
                    Span<byte> index = area.AsSpan(block * indexSize, indexSize);
                    // Mostly the header fields (offsets, sizes, counts), sometimes the free bitmap.
                    Flip(index[..(random.Next(4) == 0 ? indexSize : NamespaceIndexBlockLayout.HeaderSize)], random);
                    if (mutation == Mutation.IndexFlipsFixed)
                    {
                        Fletcher64.Update(index, NamespaceIndexBlockLayout.ChecksumOffset);
                    }
                    RandomAccess.Write(handle, area, areaStart);
                    break;
                }
                case Mutation.LabelFlips or Mutation.LabelFlipsFixed:
                {
                    int slot = source.UsedSlots.Length > 0 && random.Next(8) != 0 ? source.UsedSlots[random.Next(source.UsedSlots.Length)] : random.Next(4);
                    int offset = 2 * indexSize + slot * source.LabelSize;
                    Span<byte> label = area.AsSpan(offset, Math.Min(source.LabelSize, area.Length - offset));
                    Flip(label, random);
                    if (mutation == Mutation.LabelFlipsFixed && source.LabelSize == NamespaceLabelLayout.SizeV12 && label.Length == source.LabelSize)
                    {
                        Fletcher64.Update(label, NamespaceLabelLayout.ChecksumOffset);
                    }
                    RandomAccess.Write(handle, area, areaStart);
                    break;
                }
                case Mutation.InfoBlockFlips or Mutation.InfoBlockFlipsFixed:
                {
                    // BTT 2.0 sits at the namespace start, the others 4 KiB in; flip in both.
                    long blockStart = source.InfoBlockDpa + (random.Next(2) == 0 ? InfoBlock.NamespaceOffset : 0);
                    byte[] block = new byte[InfoBlock.Size];
                    if (blockStart + block.Length > areaStart)
                    {
                        break;
                    }
                    RandomAccess.Read(handle, block, blockStart);
                    bool wasValid = Fletcher64.IsValid(block, InfoBlock.ChecksumOffset);
                    // The header and the geometry fields that follow it (offsets, sizes, counts).
                    Flip(block.AsSpan(0, random.Next(2) == 0 ? 128 : 512), random);
                    if (mutation == Mutation.InfoBlockFlipsFixed && wasValid)
                    {
                        Fletcher64.Update(block, InfoBlock.ChecksumOffset);
                    }
                    RandomAccess.Write(handle, block, blockStart);
                    break;
                }
                case Mutation.Burst:
                {
                    // Random bytes over a random stretch of the label area, then both index checksums re-fixed.
                    int start = random.Next(LabelAreaSize - 64);
                    random.NextBytes(area.AsSpan(start, random.Next(1, Math.Min(512, LabelAreaSize - start))));
                    Fletcher64.Update(area.AsSpan(0, indexSize), NamespaceIndexBlockLayout.ChecksumOffset);
                    Fletcher64.Update(area.AsSpan(indexSize, indexSize), NamespaceIndexBlockLayout.ChecksumOffset);
                    RandomAccess.Write(handle, area, areaStart);
                    break;
                }
                case Mutation.ExtremeFields:
                {
                    // Offsets, sizes and counts set to the edges of their type (checksums re-fixed),
                    // where overflow-unsafe arithmetic in a reader would show.
                    int where = random.Next(3);
                    if (where == 0)
                    {
                        Span<byte> index = area.AsSpan(random.Next(2) * indexSize, indexSize);
                        Extreme(index[NamespaceIndexBlockLayout.SequenceOffset..NamespaceIndexBlockLayout.ChecksumOffset], random);
                        Fletcher64.Update(index, NamespaceIndexBlockLayout.ChecksumOffset);
                        RandomAccess.Write(handle, area, areaStart);
                    }
                    else if (where == 1 && source.UsedSlots.Length > 0)
                    {
                        int offset = 2 * indexSize + source.UsedSlots[random.Next(source.UsedSlots.Length)] * source.LabelSize;
                        Span<byte> label = area.AsSpan(offset, source.LabelSize);
                        Extreme(label[NamespaceLabelLayout.FlagsOffset..NamespaceLabelLayout.SizeV11], random);
                        if (source.LabelSize == NamespaceLabelLayout.SizeV12)
                        {
                            Fletcher64.Update(label, NamespaceLabelLayout.ChecksumOffset);
                        }
                        RandomAccess.Write(handle, area, areaStart);
                    }
                    else
                    {
                        long blockStart = source.InfoBlockDpa + (random.Next(2) == 0 ? InfoBlock.NamespaceOffset : 0);
                        byte[] block = new byte[InfoBlock.Size];
                        RandomAccess.Read(handle, block, blockStart);
                        Extreme(block.AsSpan(InfoBlock.VersionMajorOffset, 200), random);
                        Fletcher64.Update(block, InfoBlock.ChecksumOffset);
                        RandomAccess.Write(handle, block, blockStart);
                    }
                    break;
                }
                case Mutation.Truncation:
                {
                    long[] lengths = [0, 4096, LabelAreaSize - 1, LabelAreaSize, LabelAreaSize + 4096, areaStart + random.Next(LabelAreaSize), source.Length / 2];
                    RandomAccess.SetLength(handle, lengths[random.Next(lengths.Length)]);
                    break;
                }
                case Mutation.LabelSizeMismatch:
                    int[] sizes = [4 * 1024, 64 * 1024, 132 * 1024, 256 * 1024, 1 << 20];
                    return sizes[random.Next(sizes.Length)];
            }
        }
        // Created long enough ago that an mtime change would show at any timestamp granularity.
        File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        return LabelAreaSize;
    }

    private static void Extreme(Span<byte> fields, Random random)
    {
        ulong[] values = [0, 1, 0xFF, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue, 0xFFFF_FFFF_FFFF_F000];
        int count = random.Next(1, 4);
        for (int i = 0; i < count; i++)
        {
            int width = random.Next(2) == 0 ? 4 : 8;
            if (fields.Length < width)
            {
                return;
            }
            int at = random.Next((fields.Length - width) / 4 + 1) * 4;
            ulong value = values[random.Next(values.Length)];
            if (width == 4)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(fields[at..], (uint)value);
            }
            else
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(fields[at..], value);
            }
        }
    }

    private static void Flip(Span<byte> bytes, Random random)
    {
        int flips = random.Next(1, 9);
        for (int i = 0; i < flips && bytes.Length > 0; i++)
        {
            bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
        }
    }
}
