using System.Text;

namespace CrmPulse.Sources.File;

/// <summary>
/// The encodings a File source reads, always with a throwing decoder: a byte that is not valid in the encoding is an
/// error with its line, never a silent U+FFFD.
/// </summary>
internal static class FileEncodings
{
    // Windows code pages (windows-1252, ...) are not built in: they come with the framework's CodePages provider.
    static FileEncodings() => System.Text.Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The encoding of that name or code page, with exception fallbacks; null when unknown.</summary>
    public static Encoding? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return null;
        try
        {
            var trimmed = name.Trim();
            return int.TryParse(trimmed, out var codePage)
                ? System.Text.Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback)
                : System.Text.Encoding.GetEncoding(trimmed, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>
    /// The encoding a byte order mark at the stream's position announces (UTF-8, UTF-16 LE/BE, UTF-32 LE) and the mark's
    /// length, or null when there is none. The stream is left at its position.
    /// </summary>
    public static (Encoding Encoding, int Length)? FromByteOrderMark(Stream stream)
    {
        var start = stream.Position;
        Span<byte> head = stackalloc byte[4];
        var read = stream.ReadAtLeast(head, 4, throwOnEndOfStream: false);
        stream.Position = start;
        head = head[..read];
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return (Find("utf-8")!, 3);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00])) return (Find("utf-32")!, 4);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return (Find("utf-16")!, 2);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return (Find("utf-16BE")!, 2);
        return null;
    }

    /// <summary>
    /// Finds the first byte that <paramref name="encoding"/> cannot decode, reading from the stream's position: its
    /// 1-based line (counted as the CSV reader counts them: CR, LF or CRLF end a line), its offset in the file and the
    /// bytes concerned. Slow (a byte at a time), so only used once a decoder has failed.
    /// </summary>
    public static (int Line, long Offset, byte[] Bytes)? Locate(Stream stream, Encoding encoding)
    {
        var decoder = encoding.GetDecoder();
        var chars = new char[4];
        var line = 1;
        var previous = '\0';
        var bytes = new byte[1];
        using var buffered = new BufferedStream(stream, 64 * 1024);
        var offset = stream.Position;
        long? pending = null; // where the bytes fed since the last decoded character start
        while (true)
        {
            var b = buffered.ReadByte();
            int count;
            try
            {
                if (b < 0)
                {
                    decoder.GetChars([], 0, 0, chars, 0, flush: true);
                    return null;
                }
                bytes[0] = (byte)b;
                count = decoder.GetChars(bytes, 0, 1, chars, 0, flush: false);
            }
            catch (DecoderFallbackException e)
            {
                return (line, pending ?? offset, e.BytesUnknown ?? (b < 0 ? [] : [(byte)b]));
            }
            if (count == 0) pending ??= offset;
            else pending = null;
            offset++;
            for (var i = 0; i < count; i++)
            {
                var c = chars[i];
                if (c == '\r' || (c == '\n' && previous != '\r')) line++;
                previous = c;
            }
        }
    }
}
