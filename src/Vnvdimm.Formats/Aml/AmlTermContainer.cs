using System.Collections;

namespace Vnvdimm.Formats.Aml;

/// <summary>
/// A term that owns a TermList behind a PkgLength: Scope, Device, Method, If, Else, While.
/// Terms are added with <see cref="Add"/> (collection initializers work). Once the container has
/// been measured or written it is frozen: its length is cached and further additions throw, so
/// a table of thousands of terms is measured once rather than once per enclosing level.
/// </summary>
public abstract class AmlTermContainer : AmlObject, IEnumerable<AmlObject>
{
    private readonly List<AmlObject> _terms = [];
    private int _bodyLength = -1;

    protected AmlTermContainer(AmlOpcode opcode) => Opcode = opcode;

    public AmlOpcode Opcode { get; }

    public IReadOnlyList<AmlObject> Terms => _terms;

    /// <summary>Whether the length has been fixed by measuring or writing.</summary>
    public bool IsFrozen => _bodyLength >= 0;

    public void Add(AmlObject term)
    {
        ArgumentNullException.ThrowIfNull(term);
        if (IsFrozen)
        {
            throw new InvalidOperationException($"{GetType().Name} was already measured or written; add every term before encoding it");
        }
        _terms.Add(term);
    }

    public void AddRange(IEnumerable<AmlObject> terms)
    {
        foreach (AmlObject term in terms)
        {
            Add(term);
        }
    }

    /// <summary>Bytes between the PkgLength and the TermList (name, flags, predicate).</summary>
    protected abstract int HeaderLength { get; }

    protected abstract void WriteHeader(AmlWriter writer);

    private int BodyLength
    {
        get
        {
            if (_bodyLength < 0)
            {
                int length = HeaderLength;
                foreach (AmlObject term in _terms)
                {
                    length += term.Length;
                }
                _bodyLength = length;
            }
            return _bodyLength;
        }
    }

    public override int Length
    {
        get
        {
            int body = BodyLength;
            return AmlWriter.GetOpcodeSize(Opcode) + AmlPkgLength.GetEncodedSize(body, includeSelf: true) + body;
        }
    }

    public override void WriteTo(AmlWriter writer)
    {
        writer.WriteOpcode(Opcode);
        writer.WritePkgLength(BodyLength, includeSelf: true);
        WriteHeader(writer);
        foreach (AmlObject term in _terms)
        {
            term.WriteTo(writer);
        }
    }

    public IEnumerator<AmlObject> GetEnumerator() => _terms.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
