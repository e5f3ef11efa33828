using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Vnvdimm.Tests.TestSupport;

/// <summary>The vnvdimm program as a separate process, for tests that talk to its sockets and console.</summary>
public static class ProgramProcess
{
    /// <summary>Starts vnvdimm (the test build's vnvdimm.dll) in <paramref name="directory"/> with redirected standard streams.</summary>
    public static Process Start(string directory, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "vnvdimm.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("vnvdimm did not start");
    }

    /// <summary>Connects once the program listens (it binds its sockets while starting).</summary>
    public static void ConnectWithin(Socket socket, EndPoint endPoint, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                socket.Connect(endPoint);
                return;
            }
            catch (SocketException) when (clock.Elapsed < limit)
            {
                Thread.Sleep(50);
            }
        }
    }
}
