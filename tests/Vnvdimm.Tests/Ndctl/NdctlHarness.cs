using System.Text;
using Vnvdimm.Cli;
using Vnvdimm.Ndctl;

namespace Vnvdimm.Tests.Ndctl;

/// <summary>Runs `vnvdimm image …` in-process with captured stdout (bytes) and stderr.</summary>
internal static class NdctlHarness
{
    public sealed record Result(int Status, byte[] Output, string Error)
    {
        public string Text => Encoding.UTF8.GetString(Output);
    }

    public static Result Image(string[] args, bool terminal = false, byte[]? stdin = null, Func<Guid>? uuids = null)
    {
        using var output = new MemoryStream();
        using var error = new StringWriter { NewLine = "\n" };
        using var input = new MemoryStream(stdin ?? []);
        int status = ImageCommand.Run(args, new NdctlIo(output, error, input, terminal) { NewUuid = uuids ?? Guid.NewGuid });
        return new Result(status, output.ToArray(), error.ToString());
    }
}
