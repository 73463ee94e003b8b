using System.Diagnostics;
using System.Runtime.InteropServices;
using Serilog;

namespace MsMano.Cluster.Bench;

/// <summary>
/// The node processes one cluster-bench round launches (<c>dotnet exec msmano.dll learner|sim ...</c>). Every child
/// gets <c>--exit-with-parent</c>, so it leaves and exits on its own if this process dies; on a normal or Ctrl-C
/// exit <see cref="Dispose"/> sends SIGTERM (graceful leave) and kills whatever is still running after a grace period.
/// Each child's output goes to a log file in <see cref="LogDirectory"/>.
/// </summary>
public sealed partial class ClusterBenchProcesses : IDisposable
{
    private const int SigTerm = 15;

    private readonly List<(string Name, Process Process)> _children = [];
    private readonly object _gate = new();
    private readonly string _assembly;

    /// <param name="logDirectory">Where each child's log file goes.</param>
    /// <param name="nodeAssembly">The msmano.dll the children run (the CLI's entry assembly).</param>
    public ClusterBenchProcesses(string logDirectory, string nodeAssembly)
    {
        LogDirectory = Path.GetFullPath(logDirectory);
        Directory.CreateDirectory(LogDirectory);
        _assembly = nodeAssembly;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public string LogDirectory { get; }

    /// <summary>
    /// Starts <c>msmano {args}</c> as a child, on <paramref name="core"/> alone when given (taskset, so every thread
    /// the runtime starts inherits it); its output goes to <c>{name}.log</c>.
    /// </summary>
    public Process Start(string name, IEnumerable<string> args, int? core = null, bool exitWithParent = true)
    {
        var info = new ProcessStartInfo(core is null ? DotnetHost() : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (core is int c)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(c.ToString(System.Globalization.CultureInfo.InvariantCulture));
            info.ArgumentList.Add(DotnetHost());
        }
        info.ArgumentList.Add("exec");
        info.ArgumentList.Add(_assembly);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        // Each node's full log (Akka INFO included) beside its console output, not in the shared logs/ of the bench's cwd.
        info.Environment["MSMANO__LOGGING__FILE"] = Path.Combine(LogDirectory, name + "-full.log");
        if (exitWithParent)
        {
            info.ArgumentList.Add("--exit-with-parent");
            info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        var log = new StreamWriter(Path.Combine(LogDirectory, name + ".log"), append: false) { AutoFlush = true };
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Exited += (_, _) => Write(log, null);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        lock (_gate)
        {
            _children.Add((name, process));
        }
        return process;
    }

    /// <summary>Throws naming the first child that has already exited (it crashed or refused its settings).</summary>
    public void ThrowIfAnyExited()
    {
        lock (_gate)
        {
            foreach ((string name, Process process) in _children)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException(
                        $"{name} exited early with code {process.ExitCode}; see {Path.Combine(LogDirectory, name + ".log")}.");
                }
            }
        }
    }

    /// <summary>SIGTERM to every child (they leave the cluster gracefully), then a kill after <paramref name="grace"/>.</summary>
    public void StopAll(TimeSpan grace)
    {
        List<(string Name, Process Process)> children;
        lock (_gate)
        {
            children = [.. _children];
            _children.Clear();
        }
        // Simulation nodes first, the learner last: the same order a graceful cluster shutdown uses.
        children.Reverse();
        foreach ((_, Process process) in children)
        {
            Signal(process);
        }
        var deadline = Stopwatch.StartNew();
        foreach ((string name, Process process) in children)
        {
            TimeSpan left = grace - deadline.Elapsed;
            if (!process.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                Log.Warning("{Name} (pid {Pid}) did not exit within {Grace}; killing it", name, process.Id, grace);
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }
            process.Dispose();
        }
    }

    public void Dispose()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        StopAll(TimeSpan.FromSeconds(20));
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        StopAll(TimeSpan.FromSeconds(5));
    }

    private static void Signal(Process process)
    {
        try
        {
            if (!process.HasExited && Kill(process.Id, SigTerm) != 0)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the signal.
        }
    }

    private static void Write(StreamWriter log, string? line)
    {
        lock (log)
        {
            if (line is null)
            {
                log.Flush();
                return;
            }
            log.WriteLine(line);
        }
    }

    // The "dotnet" host running this process (so children use the same runtime), or dotnet from PATH.
    private static string DotnetHost()
    {
        string? host = Environment.ProcessPath;
        return host is not null && Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase) ? host : "dotnet";
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
