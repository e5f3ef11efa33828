using System.Security.Cryptography;
using Vnvdimm.Formats.Labels;
using Vnvdimm.Tests.Formats.Labels;
using Vnvdimm.Tests.TestSupport;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>`vnvdimm image FILE … -- ndctl …` against the lab image and fresh images.</summary>
public sealed class ImageCommandTests
{
    private const int LabelSize = 128 * 1024;

    [Fact]
    public void Read_labels_json_of_the_lab_image_equals_linux()
    {
        string image = LabBackendImage.ImagePath;
        string golden = File.ReadAllText(Path.Combine(LabBackendImage.LabFolder, "read-labels.json"));
        // The guest printed to its console (a terminal), so ndctl showed the one DIMM as an object.
        NdctlHarness.Result result = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "read-labels", "-j", "nmem0"], terminal: true);
        Assert.Equal(0, result.Status);
        Assert.Equal(golden, result.Text + result.Error);
        Assert.Equal("read 1 nmem\n", result.Error);
    }

    [Fact]
    public void Read_labels_json_is_an_array_when_stdout_is_not_a_terminal()
    {
        string image = LabBackendImage.ImagePath;
        NdctlHarness.Result result = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "read-labels", "-j", "all"]);
        Assert.StartsWith("[\n  {\n    \"dev\":\"nmem0\",\n", result.Text);
        Assert.EndsWith("\n]\n", result.Text);
    }

    [Fact]
    public void Read_labels_o_dumps_the_last_label_size_bytes()
    {
        string image = LabBackendImage.ImagePath;
        byte[] area = LabBackendImage.ReadLabelArea();
        using var scratch = new ScratchDirectory();
        string dump = scratch.File("l.bin");
        NdctlHarness.Result result = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "read-labels", "-o", dump, "nmem0"]);
        Assert.Equal((0, "read 1 nmem\n"), (result.Status, result.Error));
        Assert.Equal(area, File.ReadAllBytes(dump));
        Assert.Empty(result.Output);

        NdctlHarness.Result stdout = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "read-labels", "nmem0", "-s", "512"]);
        Assert.Equal(area[..512], stdout.Output);
    }

    [Theory]
    [InlineData("1.1", 128, 1020)]
    [InlineData("1.2", 256, 510)]
    public void Init_then_check_on_a_new_sparse_image(string version, int labelSize, int slots)
    {
        using var scratch = new ScratchDirectory();
        string image = scratch.File("new.img");
        NdctlHarness.Result init = NdctlHarness.Image([image, "--size", "64M", "--label-size", "128K", "--", "ndctl", "init-labels", "-V", version, "nmem0"]);
        Assert.Equal((0, "initialized 1 nmem\n"), (init.Status, init.Error));
        Assert.Equal(64L << 20, new FileInfo(image).Length);

        NdctlHarness.Result check = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "check-labels", "nmem0"]);
        Assert.Equal((0, "successfully verified 1 nmem label\n"), (check.Status, check.Error));

        byte[] area = ReadTail(image, LabelSize);
        Assert.True(LabelArea.TryRead(area, out LabelArea? read, out _));
        Assert.Equal((labelSize, slots, 0), (read!.Geometry.LabelSize, read.Geometry.SlotCount, read.Current));

        NdctlHarness.Result again = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "init-labels", "nmem0"]);
        Assert.Equal((1, "nmem0: error: labels already initialized\ninitialized 0 nmem\n"), (again.Status, again.Error));
        NdctlHarness.Result forced = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "init-labels", "-f", "nmem0"]);
        Assert.Equal((0, "initialized 1 nmem\n"), (forced.Status, forced.Error));
    }

    [Fact]
    public void Json_of_a_fresh_v12_area_matches_ndctls_shape()
    {
        using var scratch = new ScratchDirectory();
        string image = scratch.File("new.img");
        NdctlHarness.Image([image, "--size", "16M", "--label-size", "128K", "--", "ndctl", "init-labels", "-V", "1.2", "nmem0"]);
        NdctlHarness.Result json = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "read-labels", "-j", "nmem0"], terminal: true);
        Assert.Contains("\"minor\":2,\n      \"labelsize\":256,\n      \"seq\":3,\n      \"nslot\":510", json.Text);
        // An all-zero slot 0 prints as an all-zero label, with the v1.2 GUID keys.
        Assert.Contains("\"uuid\":\"00000000-0000-0000-0000-000000000000\",\n      \"name\":\"\",\n      \"slot\":0,", json.Text);
        Assert.Contains("\"abstraction_guid\":\"00000000-0000-0000-0000-000000000000\"\n    }\n  ]\n}\n", json.Text);
    }

    [Fact]
    public void Zero_write_and_check_labels()
    {
        using var scratch = new ScratchDirectory();
        string image = scratch.File("new.img");
        NdctlHarness.Image([image, "--size", "16M", "--label-size", "128K", "--", "ndctl", "init-labels", "nmem0"]);
        byte[] initialised = ReadTail(image, LabelSize);
        string saved = scratch.File("saved.bin");
        File.WriteAllBytes(saved, initialised);

        NdctlHarness.Result zero = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "zero-labels", "nmem0"]);
        Assert.Equal((0, "zeroed 1 nmem\n"), (zero.Status, zero.Error));
        Assert.True(ReadTail(image, LabelSize).AsSpan().IndexOfAnyExcept((byte)0) < 0);

        NdctlHarness.Result check = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "check-labels", "-v", "nmem0"]);
        Assert.Equal(1, check.Status);
        Assert.Contains("nmem0: nsindex0 signature invalid\n", check.Error);
        Assert.EndsWith("successfully verified 0 nmem label\n", check.Error);

        NdctlHarness.Result write = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "write-labels", "-i", saved, "nmem0"]);
        Assert.Equal((0, "wrote 1 nmem\n"), (write.Status, write.Error));
        Assert.Equal(initialised, ReadTail(image, LabelSize));
    }

    [Fact]
    public void Commands_change_nothing_outside_the_label_area()
    {
        using var scratch = new ScratchDirectory();
        string image = scratch.CreateFile("data.img", 4 << 20, seed: 6);
        byte[] before = File.ReadAllBytes(image);
        Assert.Equal(0, NdctlHarness.Image([image, "--size", "4M", "--label-size", "128K", "--", "ndctl", "init-labels", "-V", "1.2", "nmem0"]).Status);
        byte[] initialised = File.ReadAllBytes(image);
        // init-labels rewrites only the index blocks; the slots keep their (random) bytes.
        Assert.Equal(before.AsSpan(before.Length - LabelSize + 512).ToArray(), initialised.AsSpan(initialised.Length - LabelSize + 512).ToArray());
        Assert.Equal(0, NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "zero-labels", "nmem0"]).Status);
        Assert.Equal(0, NdctlHarness.Image([image, "--size", "4M", "--label-size", "128K", "--", "ndctl", "init-labels", "nmem0"]).Status);
        byte[] after = File.ReadAllBytes(image);
        Assert.Equal(before.Length, after.Length);
        Assert.Equal(SHA256.HashData(before.AsSpan(0, before.Length - LabelSize)), SHA256.HashData(after.AsSpan(0, after.Length - LabelSize)));
    }

    [Fact]
    public void Existing_files_of_another_size_are_refused_and_left_alone()
    {
        using var scratch = new ScratchDirectory();
        string image = scratch.CreateFile("user.img", 1 << 20, seed: 1);
        var fingerprint = ScratchDirectory.Fingerprint(image);
        NdctlHarness.Result result = NdctlHarness.Image([image, "--size", "2M", "--label-size", "128K", "--", "ndctl", "init-labels", "nmem0"]);
        Assert.Equal(1, result.Status);
        Assert.Equal("vnvdimm: image: backing store size 0x100000 does not match 'size' option 0x200000\n", result.Error);
        Assert.Equal(fingerprint, ScratchDirectory.Fingerprint(image));

        NdctlHarness.Result missing = NdctlHarness.Image([scratch.File("nope.img"), "--label-size", "128K", "--", "ndctl", "read-labels", "nmem0"]);
        Assert.Equal(1, missing.Status);
        Assert.False(File.Exists(scratch.File("nope.img")));
    }

    [Fact]
    public void Ndctl_wording_for_bad_names_versions_and_commands()
    {
        using var scratch = new ScratchDirectory();
        string image = scratch.File("new.img");
        NdctlHarness.Result version = NdctlHarness.Image([image, "--size", "1M", "--label-size", "128K", "--", "ndctl", "init-labels", "-V", "2.0", "nmem0"]);
        Assert.Equal((1, "'2.0' is not a valid label version\ninitialized 0 nmem\n"), (version.Status, version.Error));

        NdctlHarness.Result other = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "read-labels", "nmem1"]);
        Assert.Equal((0, "read 0 nmem\n"), (other.Status, other.Error));

        NdctlHarness.Result name = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "zero-labels", "dimm0"]);
        Assert.Equal(1, name.Status);
        Assert.StartsWith("'dimm0' is not a valid dimm name\n", name.Error);

        NdctlHarness.Result command = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "frob"]);
        Assert.Equal((1, "ndctl: 'frob' is not an ndctl command. See 'ndctl --help'.\n"), (command.Status, command.Error));

        NdctlHarness.Result usage = NdctlHarness.Image([image, "--label-size", "128K", "--", "ndctl", "read-labels"]);
        Assert.Equal(129, usage.Status);
        Assert.Contains("usage: ndctl read-labels <nmem0>", usage.Error);
    }

    private static byte[] ReadTail(string path, int length)
    {
        using FileStream stream = File.OpenRead(path);
        byte[] tail = new byte[length];
        stream.Seek(-length, SeekOrigin.End);
        stream.ReadExactly(tail);
        return tail;
    }
}
