using Akka.Actor;
using Akka.Event;
using static Akka.Cluster.ClusterEvent;

namespace MsMano.Cluster.Readiness;

/// <summary>
/// Keeps a file in existence exactly while this node's member is Up, for a Kubernetes exec readiness probe
/// (<c>test -f /tmp/msmano-ready</c>); no web stack needed. Writing an empty file is a tiny local syscall, so it is
/// done inline rather than piped.
/// </summary>
public sealed class ReadinessFileActor : ReceiveActor
{
    private readonly string _path;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ReadinessFileActor(string path)
    {
        _path = path;
        Receive<MemberUp>(m => m.Member.UniqueAddress.Equals(_cluster.SelfUniqueAddress), _ => Touch());
        Receive<MemberLeft>(m => m.Member.UniqueAddress.Equals(_cluster.SelfUniqueAddress), _ => Delete("leaving"));
        Receive<MemberExited>(m => m.Member.UniqueAddress.Equals(_cluster.SelfUniqueAddress), _ => Delete("exiting"));
        Receive<MemberRemoved>(m => m.Member.UniqueAddress.Equals(_cluster.SelfUniqueAddress), _ => Delete("removed"));
        Receive<IMemberEvent>(_ => { });
    }

    public static Props Props(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new ArgumentException($"readiness file path = '{path}' must be a file path", nameof(path));
        }
        return Akka.Actor.Props.Create(() => new ReadinessFileActor(path));
    }

    protected override void PreStart()
    {
        // A file left by a previous incarnation must not claim readiness before this one is Up.
        Delete("starting");
        _cluster.Subscribe(Self, InitialStateAsEvents, typeof(IMemberEvent));
    }

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        Delete("stopped");
    }

    private void Touch()
    {
        try
        {
            string? directory = Path.GetDirectoryName(Path.GetFullPath(_path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }
            // Write then rename, so a probe never sees a half-written file.
            string temp = _path + ".tmp";
            File.WriteAllText(temp, _cluster.SelfAddress.ToString());
            File.Move(temp, _path, overwrite: true);
            _log.Info("Member {0} is Up; readiness file {1} written", _cluster.SelfAddress, _path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Error(ex, "Cannot write readiness file {0}; the readiness probe will fail", _path);
        }
    }

    private void Delete(string why)
    {
        try
        {
            if (File.Exists(_path))
            {
                File.Delete(_path);
                _log.Info("Readiness file {0} removed ({1})", _path, why);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Error(ex, "Cannot remove readiness file {0}", _path);
        }
    }
}
