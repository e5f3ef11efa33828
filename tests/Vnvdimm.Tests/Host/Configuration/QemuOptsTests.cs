using Vnvdimm.Host.Configuration;

namespace Vnvdimm.Tests.Host.Configuration;

/// <summary>QemuOpts syntax (util/qemu-option.c) as QEMU 7.2 parses -object, -device, -m and -numa.</summary>
public sealed class QemuOptsTests
{
    [Fact]
    public void First_bare_element_is_the_implied_key()
    {
        QemuOpts opts = QemuOpts.Parse("nvdimm,memdev=m1,label-size=128K", "driver");
        Assert.Equal("nvdimm", opts.Get("driver"));
        Assert.Equal("m1", opts.Get("memdev"));
        Assert.Equal("128K", opts.Get("label-size"));
        Assert.Equal(["driver", "memdev", "label-size"], opts.Keys);
    }

    [Fact]
    public void Double_comma_is_a_literal_comma_in_values_and_the_implied_value()
    {
        QemuOpts opts = QemuOpts.Parse("memory-backend-file,id=m,mem-path=/a,,b.img,size=1M", "qom-type");
        Assert.Equal("/a,b.img", opts.Get("mem-path"));
        Assert.Equal("1M", opts.Get("size"));
        // The implied value ends at a single comma only, so "1G,,slots=2" is one size value.
        Assert.Equal("1G,slots=2", QemuOpts.Parse("1G,,slots=2", "size").Get("size"));
    }

    [Fact]
    public void Later_values_win_but_the_first_id_counts()
    {
        QemuOpts opts = QemuOpts.Parse("nvdimm,id=a,slot=1,id=b,slot=2", "driver");
        Assert.Equal("2", opts.Get("slot"));
        Assert.Equal("a", opts.Id);
        Assert.Equal("a", opts.Get("id"));
        Assert.Equal(["driver", "id", "slot", "slot"], opts.Elements.Select(e => e.Key));
    }

    [Fact]
    public void Short_form_booleans_are_deprecated_flags()
    {
        var warnings = new List<string>();
        QemuOpts opts = QemuOpts.Parse("memory-backend-ram,id=m,share,noprealloc", "qom-type", QemuOpts.ParseMode.QemuOpts, warnings.Add);
        Assert.Equal("on", opts.Get("share"));
        Assert.Equal("off", opts.Get("prealloc"));
        Assert.Equal(
            [
                "warning: short-form boolean option 'share' deprecated\nPlease use share=on instead",
                "warning: short-form boolean option 'noprealloc' deprecated\nPlease use prealloc=off instead",
            ],
            warnings);
    }

    [Fact]
    public void Keys_are_not_unescaped()
    {
        // "a,,b=c": the name stops at the first comma, so "a" is a flag and ",b=c" follows.
        QemuOpts opts = QemuOpts.Parse("x,a,,b=c", "driver");
        Assert.Equal("on", opts.Get("a"));
        Assert.Equal("c", opts.Get("b"));
        Assert.Equal("on", opts.Get(string.Empty));
    }

    [Fact]
    public void Empty_text_has_no_elements()
    {
        Assert.Empty(QemuOpts.Parse(string.Empty, "size").Elements);
    }
}
