using System.Globalization;
using MsMano.NetFaults;

// fault-proxy --map LISTEN_IP:PORT=TARGET_IP:PORT [--map ...] [--control FILE] [--stats FILE]
// Forwards every accepted TCP connection to its target, adding the faults that FILE (re-read every 0.5 s) asks for.
var maps = new List<(string Listen, string Target)>();
string? control = null, stats = null;
for (int i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"fault-proxy: {args[i]} needs a value");
    switch (args[i])
    {
        case "--map":
            string map = Next();
            int eq = map.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                Console.Error.WriteLine($"fault-proxy: --map '{map}' is not LISTEN_IP:PORT=TARGET_IP:PORT");
                return 2;
            }
            maps.Add((map[..eq], map[(eq + 1)..]));
            break;
        case "--control": control = Next(); break;
        case "--stats": stats = Next(); break;
        default:
            Console.Error.WriteLine($"fault-proxy: unknown argument '{args[i]}'");
            return 2;
    }
}
if (maps.Count == 0)
{
    Console.Error.WriteLine("fault-proxy: give at least one --map LISTEN_IP:PORT=TARGET_IP:PORT");
    return 2;
}

var faults = new FaultSettings();
var counters = new ProxyCounters();
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

var tasks = new List<Task>();
foreach ((string listen, string target) in maps)
{
    var link = new ProxyLink(Endpoints.Parse(listen), Endpoints.Parse(target), faults, counters);
    tasks.Add(link.RunAsync(stop.Token));
}
if (control is not null)
{
    tasks.Add(FaultSettings.FollowFileAsync(control, faults, stop.Token));
}
tasks.Add(counters.ReportAsync(stats, faults, stop.Token));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"fault-proxy: {maps.Count} links: {string.Join(", ", maps.Select(m => m.Listen + " -> " + m.Target))}"));
try
{
    await Task.WhenAll(tasks).ConfigureAwait(false);
}
catch (OperationCanceledException)
{
}
return 0;
