using System.Buffers.Binary;
using CsCheck;
using Vnvdimm.Formats.Labels;

namespace Vnvdimm.Tests.Formats.Labels;

/// <summary>Fletcher-64 against research §2.4/§2.11 vectors.</summary>
public sealed class Fletcher64Tests
{
    [Fact]
    public void Small_vectors_follow_the_definition()
    {
        Assert.Equal(0UL, Fletcher64.Compute([]));
        // Words 1 and 2: lo = 1, hi = 1; lo = 3, hi = 4.
        Assert.Equal((4UL << 32) | 3, Fletcher64.Compute([1, 0, 0, 0, 2, 0, 0, 0]));
        // lo wraps modulo 2^32.
        Assert.Equal((0xFFFFFFFFUL << 32) | 0xFFFFFFFF, Fletcher64.Compute([0xFF, 0xFF, 0xFF, 0xFF]));
    }

    [Fact]
    public void Skipping_the_field_equals_summing_with_it_zeroed()
    {
        Gen.Byte.Array[8, 256].Where(a => a.Length % 4 == 0).Select(Gen.Int, (a, k) => (a, k)).Sample(t =>
        {
            (byte[] data, int k) = t;
            int offset = (int)((uint)k % (uint)((data.Length - 8) / 4 + 1)) * 4;
            byte[] zeroed = (byte[])data.Clone();
            zeroed.AsSpan(offset, 8).Clear();
            Assert.Equal(Fletcher64.Compute(zeroed), Fletcher64.Compute(data, offset));
            Fletcher64.Update(data, offset);
            Assert.True(Fletcher64.IsValid(data, offset));
            Assert.Equal(Fletcher64.Compute(zeroed), BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(offset)));
        });
    }

    [Fact]
    public void Odd_lengths_are_refused() =>
        Assert.Throws<ArgumentException>(() => Fletcher64.Compute([1, 2, 3]));
}
