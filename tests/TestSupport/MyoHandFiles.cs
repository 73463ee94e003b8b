namespace MsMano.TestSupport;

/// <summary>
/// The vendored MyoHand MJCF and its MuJoCo-compiled dump (third_party/myohand, Apache-2.0), copied beside every test
/// assembly that references TestSupport, so the tests need nothing outside the repository.
/// </summary>
public static class MyoHandFiles
{
    public static string Directory { get; } = Path.Combine(AppContext.BaseDirectory, "myohand");

    /// <summary>The MJCF entry file; its includes resolve relative to it as in the upstream repository.</summary>
    public static string Xml => Require(Path.Combine(Directory, "hand", "myohand.xml"));

    /// <summary>MuJoCo 3.14's compile of <see cref="Xml"/>: bodies, joints, sites, tendons, actuators, moment arms.</summary>
    public static string CompiledJson => Require(Path.Combine(Directory, "compiled", "myohand_compiled.json"));

    private static string Require(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing; TestSupport copies third_party/myohand beside the test assembly.", path);
}
