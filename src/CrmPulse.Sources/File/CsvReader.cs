using System.Text;

namespace CrmPulse.Sources.File;

/// <summary>
/// A streaming RFC 4180 CSV reader: quoted fields, <c>""</c> escapes, delimiters and line breaks inside quotes,
/// CRLF, LF or CR line ends, a leading UTF-8 byte order mark, and a configurable one-character delimiter.
/// It reads from a <see cref="TextReader"/> in chunks and never holds more than one record in memory.
/// </summary>
/// <remarks>
/// Leniency, chosen to match what spreadsheets write: a quote that does not start a field is kept as a literal
/// character; text after a closing quote is kept but the row carries an <see cref="CsvRow.Error"/>; a final line break
/// does not make an extra empty record. A quoted field still open at the end of the input throws
/// <see cref="CsvFormatException"/>: everything after the stray quote was swallowed into one field, so no row after it
/// can be trusted. So does a NUL character: text exports never hold one, binary data and UTF-16 read as a one-byte
/// encoding do.
/// </remarks>
public sealed class CsvReader
{
    private const int BufferSize = 16 * 1024;

    private readonly TextReader _reader;
    private readonly char _delimiter;
    private readonly char[] _buffer = new char[BufferSize];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private int _line = 1;
    private bool _started;

    /// <param name="reader">The text to read; not disposed by this reader.</param>
    /// <param name="delimiter">Field separator: ',' (default), ';' or tab are common. Not a quote or a line break.</param>
    public CsvReader(TextReader reader, char delimiter = ',')
    {
        ArgumentNullException.ThrowIfNull(reader);
        if (delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException("The delimiter cannot be a quote or a line break.", nameof(delimiter));
        }
        _reader = reader;
        _delimiter = delimiter;
    }

    /// <summary>Reads the next record, or returns null at the end of the input.</summary>
    /// <exception cref="CsvFormatException">A quoted field is not closed before the end of the input, or the input holds a
    /// NUL character.</exception>
    public CsvRow? Read()
    {
        if (!_started)
        {
            _started = true;
            // A StreamReader already drops the BOM; other readers (e.g. over a string) may still show it.
            if (Peek() == '\uFEFF') _position++;
        }
        if (Peek() == -1) return null;

        var startLine = _line;
        var fields = new List<string>();
        string? error = null;
        _field.Clear();

        while (true)
        {
            var c = Next();
            if (c == '"' && _field.Length == 0)
            {
                ReadQuoted(startLine, fields.Count + 1);
                // After the closing quote only a delimiter or the end of the record may follow.
                c = Peek();
                if (c != -1 && c != _delimiter && c != '\r' && c != '\n')
                {
                    error ??= $"unexpected text after the closing quote of field {fields.Count + 1}";
                }
                continue;
            }
            if (c == -1)
            {
                fields.Add(_field.ToString());
                return new CsvRow(startLine, fields, error) { LastLine = _line };
            }
            if (c == _delimiter)
            {
                fields.Add(_field.ToString());
                _field.Clear();
                continue;
            }
            if (c == '\r' || c == '\n')
            {
                if (c == '\r' && Peek() == '\n') _position++;
                fields.Add(_field.ToString());
                return new CsvRow(startLine, fields, error) { LastLine = _line++ };
            }
            if (c == '\0') throw Binary();
            _field.Append((char)c);
        }
    }

    /// <summary>Reads a quoted field's content after its opening quote, up to and including the closing quote.</summary>
    private void ReadQuoted(int recordLine, int fieldNumber)
    {
        var quoteLine = _line;
        while (true)
        {
            var c = Next();
            switch (c)
            {
                case -1:
                    throw new CsvFormatException(quoteLine,
                        $"the quote opening field {fieldNumber} of the record starting on line {recordLine} is never " +
                        "closed (a stray '\"'?)");
                case '"':
                    if (Peek() != '"') return;
                    _position++;
                    _field.Append('"');
                    break;
                case '\r':
                    _field.Append('\r');
                    if (Peek() == '\n')
                    {
                        _position++;
                        _field.Append('\n');
                    }
                    _line++;
                    break;
                case '\n':
                    _field.Append('\n');
                    _line++;
                    break;
                case '\0':
                    throw Binary();
                default:
                    _field.Append((char)c);
                    break;
            }
        }
    }

    private CsvFormatException Binary() => new(_line,
        "holds a NUL character: the file is binary, or not in the configured encoding (UTF-16 without a byte order mark?)");

    private int Peek()
    {
        if (_position < _length) return _buffer[_position];
        return Fill() ? _buffer[_position] : -1;
    }

    private int Next()
    {
        if (_position >= _length && !Fill()) return -1;
        return _buffer[_position++];
    }

    private bool Fill()
    {
        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}
