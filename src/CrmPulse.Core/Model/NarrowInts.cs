using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CrmPulse.Core.Model;

/// <summary>
/// Unsigned integers of one width, 1 to 8 bytes each as the largest of them needs, little-endian in one byte array
/// padded at its end so that every entry reads as one unaligned 8-byte load and a mask, without a branch per width:
/// what <see cref="CodeArray"/>, <see cref="InstantArray"/> and the matcher state's keys
/// (<see cref="Dedupe.PackedKeys"/>) hold their values in. A struct, so that a loop's local copy keeps its fields in
/// registers.
/// </summary>
internal readonly struct NarrowInts
{
    private readonly byte[] _data;
    private readonly ulong _mask;

    /// <summary><paramref name="length"/> zero entries of <paramref name="width"/> bytes.</summary>
    public NarrowInts(int length, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 8);
        // The last entry's 8-byte read ends 8 − width bytes past the entries.
        _data = new byte[(long)length * width + 8 - width];
        (Length, Width, _mask) = (length, width, width == 8 ? ulong.MaxValue : (1UL << (8 * width)) - 1);
    }

    public int Length { get; }

    /// <summary>The bytes an entry takes: 1 to 8.</summary>
    public int Width { get; }

    /// <summary>The bytes held (for the benchmark's accounts).</summary>
    public long Bytes => _data.Length;

    /// <summary>The fewest bytes (1 to 8) that hold every value up to <paramref name="max"/>.</summary>
    public static int WidthFor(ulong max)
    {
        var width = 1;
        while (width < 8 && max >> (8 * width) != 0) width++;
        return width;
    }

    public ulong this[int i]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            // The padding would let an entry past the end read: it must fail as an array would.
            if ((uint)i >= (uint)Length) throw new IndexOutOfRangeException();
            // In bounds, an entry's eight bytes end within the padding: no second bounds check.
            var stored = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_data), (nint)i * Width));
            if (!BitConverter.IsLittleEndian) stored = BinaryPrimitives.ReverseEndianness(stored);
            return stored & _mask;
        }
    }

    /// <summary>Sets entry <paramref name="i"/> to <paramref name="value"/>'s low <see cref="Width"/> bytes; the entries
    /// around it keep theirs, in whatever order entries are set (an 8-byte read and write: not from several threads at once).</summary>
    public void Set(int i, ulong value)
    {
        if ((uint)i >= (uint)Length) throw new IndexOutOfRangeException();
        var span = _data.AsSpan(checked(i * Width), 8);
        BinaryPrimitives.WriteUInt64LittleEndian(span, (BinaryPrimitives.ReadUInt64LittleEndian(span) & ~_mask) | (value & _mask));
    }

    /// <summary>Copies <paramref name="count"/> entries of <paramref name="source"/> (of the same width) from
    /// <paramref name="from"/> to <paramref name="to"/> here, bytes as they are.</summary>
    public void CopyFrom(NarrowInts source, int from, int to, int count)
    {
        if (source.Width != Width) throw new ArgumentException("Entries of another width cannot be copied as they are.", nameof(source));
        if ((uint)from > (uint)source.Length || (uint)count > (uint)(source.Length - from) || (uint)to > (uint)Length || (uint)count > (uint)(Length - to))
            throw new ArgumentOutOfRangeException(nameof(count));
        Array.Copy(source._data, (long)from * Width, _data, (long)to * Width, (long)count * Width);
    }
}
