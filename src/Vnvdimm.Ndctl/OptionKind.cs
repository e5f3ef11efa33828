namespace Vnvdimm.Ndctl;

/// <summary>The kinds of option ndctl's parse-options knows that the guest's commands use.</summary>
internal enum OptionKind
{
    /// <summary>OPT_BOOLEAN: a switch (--no-x turns it off).</summary>
    Boolean,

    /// <summary>OPT_INCR: counts repeats (-vv).</summary>
    Increment,

    /// <summary>OPT_STRING: takes a value.</summary>
    String,

    /// <summary>OPT_UINTEGER: takes an unsigned number.</summary>
    UnsignedInteger,
}
