namespace Vnvdimm.Tests.Host.Acpi;

/// <summary>
/// A fact that needs the external <c>iasl</c> tool. It runs (and fails if iasl is missing) unless
/// VNVDIMM_SKIP_EXTERNAL=1, which skips it explicitly rather than letting it pass silently.
/// </summary>
public sealed class IaslFactAttribute : FactAttribute
{
    public IaslFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("VNVDIMM_SKIP_EXTERNAL") == "1")
        {
            Skip = "VNVDIMM_SKIP_EXTERNAL=1: external tools (iasl) are not used";
        }
    }
}
