using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace InnerEye.Inference.Nnunet.Import;

/// <summary>
/// Reads a Python pickle (protocols 0 to 4, as <c>torch.save</c> writes a checkpoint's <c>data.pkl</c>) into plain
/// values by walking its opcodes; nothing is imported, called or executed. Values: null, bool, long,
/// <see cref="BigInteger"/>, double, string, byte[], tuples as object?[], lists and sets as List&lt;object?&gt;,
/// <see cref="PickleDictionary"/>, and placeholders for everything else: <see cref="PickleGlobal"/> (a class or
/// function name), <see cref="PickleObject"/> (what REDUCE or NEWOBJ would build) and <see cref="PicklePersistentId"/>
/// (a tensor's storage). Memory is bounded by the pickle's length: every length a pickle claims is checked against the
/// bytes that remain before anything is allocated.
/// </summary>
public static class PickleReader
{
    /// <summary>The longest pickle read; an nnU-Net checkpoint's data.pkl is well under a megabyte.</summary>
    public const int MaxLength = 64 << 20;

    /// <exception cref="InvalidDataException">The pickle is truncated, malformed, too long or uses an unsupported opcode.</exception>
    public static object? Read(ReadOnlySpan<byte> pickle)
    {
        if (pickle.Length > MaxLength)
            throw new InvalidDataException($"pickle: {pickle.Length} bytes is more than the {MaxLength} read");
        return new Machine(pickle).Run();
    }

    private ref struct Machine(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private readonly List<object?> _stack = [];
        private readonly List<int> _marks = [];
        private readonly Dictionary<long, object?> _memo = [];
        private int _position;
        private int _opcodeOffset;

        public object? Run()
        {
            while (true)
            {
                if (_position >= _data.Length) throw Error("the pickle ends without STOP");
                _opcodeOffset = _position;
                var op = _data[_position++];
                switch (op)
                {
                    case 0x80: // PROTO
                        var protocol = Byte();
                        if (protocol > 5) throw Error($"protocol {protocol} is not supported (0 to 5)");
                        break;
                    case 0x95: // FRAME: a length hint only
                        Take(8);
                        break;
                    case (byte)'.': // STOP
                        return Pop();
                    case (byte)'}': Push(new PickleDictionary()); break;
                    case (byte)']': Push(new List<object?>()); break;
                    case (byte)')': Push(Array.Empty<object?>()); break;
                    case 0x8f: Push(new List<object?>()); break; // EMPTY_SET
                    case (byte)'(': _marks.Add(_stack.Count); break;
                    case (byte)'t': Push(PopMark().ToArray()); break;
                    case 0x85: Push(new[] { Pop() }); break; // TUPLE1
                    case 0x86: // TUPLE2
                    {
                        var b = Pop();
                        var a = Pop();
                        Push(new[] { a, b });
                        break;
                    }
                    case 0x87: // TUPLE3
                    {
                        var c = Pop();
                        var b = Pop();
                        var a = Pop();
                        Push(new[] { a, b, c });
                        break;
                    }
                    case (byte)'l': Push(PopMark()); break;
                    case 0x91: Push(PopMark()); break; // FROZENSET
                    case (byte)'d':
                    {
                        var items = PopMark();
                        if (items.Count % 2 != 0) throw Error("DICT has an odd number of items");
                        var dictionary = new PickleDictionary();
                        for (var i = 0; i < items.Count; i += 2) dictionary.Set(items[i], items[i + 1]);
                        Push(dictionary);
                        break;
                    }
                    case (byte)'s': // SETITEM
                    {
                        var value = Pop();
                        var key = Pop();
                        SetItems(Peek(), [key, value]);
                        break;
                    }
                    case (byte)'u': // SETITEMS
                    {
                        var items = PopMark();
                        if (items.Count % 2 != 0) throw Error("SETITEMS has an odd number of items");
                        SetItems(Peek(), items);
                        break;
                    }
                    case (byte)'a': // APPEND
                    {
                        var value = Pop();
                        Append(Peek(), [value]);
                        break;
                    }
                    case (byte)'e': // APPENDS
                    case 0x90: // ADDITEMS
                    {
                        var items = PopMark();
                        Append(Peek(), items);
                        break;
                    }
                    case (byte)'q': Memoize(Byte()); break; // BINPUT
                    case (byte)'r': Memoize(UInt32()); break; // LONG_BINPUT
                    case 0x94: Memoize(_memo.Count); break; // MEMOIZE
                    case (byte)'p': Memoize(LineInteger()); break; // PUT
                    case (byte)'h': Push(Recall(Byte())); break; // BINGET
                    case (byte)'j': Push(Recall(UInt32())); break; // LONG_BINGET
                    case (byte)'g': Push(Recall(LineInteger())); break; // GET
                    case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
                    case (byte)'K': Push((long)Byte()); break; // BININT1
                    case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                    case 0x8a: Push(Integer(Take(Byte()))); break; // LONG1
                    case 0x8b: Push(Integer(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))))); break; // LONG4
                    case (byte)'I': Push(TextInteger(Line())); break; // INT
                    case (byte)'L': Push(Integer(Line().TrimEnd('L'))); break; // LONG
                    case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT
                    case (byte)'F': Push(Float(Line())); break; // FLOAT
                    case (byte)'X': Push(Utf8(Take(UInt32()))); break; // BINUNICODE
                    case 0x8c: Push(Utf8(Take(Byte()))); break; // SHORT_BINUNICODE
                    case 0x8d: Push(Utf8(Take(UInt64()))); break; // BINUNICODE8
                    case (byte)'T': Push(Encoding.Latin1.GetString(Take(BinaryPrimitives.ReadInt32LittleEndian(Take(4))))); break; // BINSTRING
                    case (byte)'U': Push(Encoding.Latin1.GetString(Take(Byte()))); break; // SHORT_BINSTRING
                    case (byte)'B': Push(Take(UInt32()).ToArray()); break; // BINBYTES
                    case (byte)'C': Push(Take(Byte()).ToArray()); break; // SHORT_BINBYTES
                    case 0x8e: Push(Take(UInt64()).ToArray()); break; // BINBYTES8
                    case (byte)'N': Push(null); break;
                    case 0x88: Push(true); break; // NEWTRUE
                    case 0x89: Push(false); break; // NEWFALSE
                    case (byte)'c': // GLOBAL
                    {
                        var module = Line();
                        Push(new PickleGlobal(module, Line()));
                        break;
                    }
                    case 0x93: // STACK_GLOBAL
                    {
                        var name = Pop();
                        var module = Pop();
                        if (module is not string m || name is not string n) throw Error("STACK_GLOBAL needs two strings");
                        Push(new PickleGlobal(m, n));
                        break;
                    }
                    case (byte)'R': // REDUCE
                    {
                        var arguments = Pop();
                        var callable = Pop();
                        Push(Reduce(callable, arguments));
                        break;
                    }
                    case 0x81: // NEWOBJ
                    {
                        var arguments = Pop();
                        var type = Pop();
                        Push(new PickleObject(type, Arguments(arguments, "NEWOBJ")));
                        break;
                    }
                    case 0x92: // NEWOBJ_EX: keyword arguments are dropped with the call that is never made
                    {
                        Pop();
                        var arguments = Pop();
                        var type = Pop();
                        Push(new PickleObject(type, Arguments(arguments, "NEWOBJ_EX")));
                        break;
                    }
                    case (byte)'b': // BUILD: the state of a placeholder; other objects' attributes are not kept
                    {
                        var state = Pop();
                        if (Peek() is PickleObject target) target.State = state;
                        break;
                    }
                    case (byte)'Q': Push(new PicklePersistentId(Pop())); break; // BINPERSID
                    case (byte)'P': Push(new PicklePersistentId(Line())); break; // PERSID
                    case (byte)'0': Pop(); break; // POP
                    case (byte)'1': PopMark(); break; // POP_MARK
                    case (byte)'2': Push(Peek()); break; // DUP
                    default:
                        throw Error($"opcode 0x{op:x2} is not supported");
                }
            }
        }

        private readonly InvalidDataException Error(string message) =>
            new($"pickle: {message} (opcode at byte {_opcodeOffset} of {_data.Length})");

        private readonly void Push(object? value) => _stack.Add(value);

        /// <summary>The stack above the innermost MARK may be popped; below it belongs to an open MARK.</summary>
        private readonly object? Pop()
        {
            var floor = _marks.Count > 0 ? _marks[^1] : 0;
            if (_stack.Count <= floor) throw Error("the stack is empty");
            var value = _stack[^1];
            _stack.RemoveAt(_stack.Count - 1);
            return value;
        }

        private readonly object? Peek()
        {
            var floor = _marks.Count > 0 ? _marks[^1] : 0;
            if (_stack.Count <= floor) throw Error("the stack is empty");
            return _stack[^1];
        }

        private readonly List<object?> PopMark()
        {
            if (_marks.Count == 0) throw Error("no MARK is open");
            var start = _marks[^1];
            _marks.RemoveAt(_marks.Count - 1);
            var items = _stack.GetRange(start, _stack.Count - start);
            _stack.RemoveRange(start, _stack.Count - start);
            return items;
        }

        private readonly void Memoize(long index) => _memo[index] = Peek();

        private readonly object? Recall(long index) =>
            _memo.TryGetValue(index, out var value) ? value : throw Error($"memo entry {index} was never stored");

        private readonly void SetItems(object? target, List<object?> items)
        {
            switch (target)
            {
                case PickleDictionary dictionary:
                    for (var i = 0; i < items.Count; i += 2) dictionary.Set(items[i], items[i + 1]);
                    break;
                case PickleObject:
                    break; // a dict subclass that is not built: its items are not kept
                default:
                    throw Error($"SETITEM on {Describe(target)}");
            }
        }

        private readonly void Append(object? target, List<object?> items)
        {
            switch (target)
            {
                case List<object?> list:
                    list.AddRange(items);
                    break;
                case PickleObject:
                    break;
                default:
                    throw Error($"APPEND on {Describe(target)}");
            }
        }

        /// <summary>A few standard-library calls make plain values; every other call stays a placeholder.</summary>
        private readonly object? Reduce(object? callable, object? arguments)
        {
            var args = Arguments(arguments, "REDUCE");
            if (callable is PickleGlobal { Module: "collections", Name: "OrderedDict" } && args.Count == 0) return new PickleDictionary();
            if (callable is PickleGlobal { Module: "builtins" or "__builtin__", Name: "set" or "frozenset" } && args is [List<object?> items])
                return new List<object?>(items);
            // Protocol 2 writes Python 3 bytes as _codecs.encode(text, 'latin1').
            if (callable is PickleGlobal { Module: "_codecs", Name: "encode" } && args is [string text, "latin1" or "latin-1"])
                return Encoding.Latin1.GetBytes(text);
            return new PickleObject(callable, args);
        }

        private readonly IReadOnlyList<object?> Arguments(object? arguments, string opcode) =>
            arguments as object?[] ?? throw Error($"{opcode} needs a tuple of arguments, not {Describe(arguments)}");

        private byte Byte() => Take(1)[0];

        private long UInt32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

        private long UInt64() => (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(Take(8)), long.MaxValue);

        /// <summary>The next <paramref name="count"/> bytes, refused before anything is allocated when fewer remain.</summary>
        private ReadOnlySpan<byte> Take(long count)
        {
            var remaining = _data.Length - _position;
            if (count < 0) throw Error($"a negative length ({count})");
            if (count > remaining)
            {
                throw Error(count > MaxLength
                    ? $"a length of {count} bytes is claimed, but only {remaining} remain"
                    : $"the pickle is truncated: {count} bytes needed, {remaining} remain");
            }

            var span = _data.Slice(_position, (int)count);
            _position += (int)count;
            return span;
        }

        private string Line()
        {
            var end = _data[_position..].IndexOf((byte)'\n');
            if (end < 0) throw Error("the pickle is truncated inside a text line");
            var line = Encoding.UTF8.GetString(_data.Slice(_position, end));
            _position += end + 1;
            return line.EndsWith('\r') ? line[..^1] : line;
        }

        private long LineInteger() =>
            long.TryParse(Line(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= 0
                ? value : throw Error("a memo index is not a number");

        private readonly object TextInteger(string text) => text switch
        {
            "00" => false,
            "01" => true,
            _ => Integer(text),
        };

        /// <summary>Python refuses integer text of more than 4300 digits too: parsing longer text takes quadratic time.</summary>
        private readonly object Integer(string text) =>
            text.Length <= 4301 && BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                ? Narrow(value) : throw Error($"'{text}' is not an integer");

        private static object Integer(ReadOnlySpan<byte> littleEndianTwosComplement) =>
            Narrow(new BigInteger(littleEndianTwosComplement, isUnsigned: false, isBigEndian: false));

        private static object Narrow(BigInteger value) => value >= long.MinValue && value <= long.MaxValue ? (long)value : value;

        private readonly double Float(string text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : throw Error($"'{text}' is not a float");

        private readonly string Utf8(ReadOnlySpan<byte> bytes)
        {
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                throw Error("a string is not valid UTF-8");
            }
        }

        private static string Describe(object? value) => value switch
        {
            null => "None",
            PickleGlobal g => $"global {g}",
            _ => $"a {value.GetType().Name}",
        };
    }
}
