using MsMano.Biomechanics.Model;
using MsMano.Cli.Recording;
using MsMano.Dashboard.Clips;

namespace MsMano.Dashboard.Tests;

/// <summary>The msmano-clip format and the single-muscle recorder (no cluster needed).</summary>
public sealed class HandClipTests
{
    private static readonly HandModel s_model = HandModelFile.LoadDefault();

    [Fact]
    public void An_FDS4_excitation_flexes_the_ring_finger_with_FDS4_active_and_round_trips_through_the_file()
    {
        HandClip clip = ClipRecorders.Excitation(s_model, "FDS4", 1f, seconds: 0.6, relaxSeconds: 0.2);
        Assert.Equal(1 + 30 + 10, clip.Frames);
        Assert.Equal(50, clip.Fps, 3);
        Assert.Equal(21, clip.Skeleton.Points.Count);
        Assert.Equal(20, clip.Skeleton.Bones.Count);
        ClipLayer hand = Assert.Single(clip.Layers);
        int fds4 = clip.Muscles.Select(m => m.Name).ToList().IndexOf("FDS4");
        Assert.True(hand.Activations![30][fds4] > 0.9f, $"FDS4 activation {hand.Activations[30][fds4]}");
        Assert.True(hand.Activations[30].Where((_, i) => i != fds4).All(a => a < 0.05f));
        Assert.True(hand.Activations[^1][fds4] < hand.Activations[30][fds4], "FDS4 deactivates after the release");
        // The ring tip moves (centimetres) while the index tip stays nearly put.
        int ringTip = clip.Skeleton.Points.ToList().IndexOf("ring_tip"), indexTip = clip.Skeleton.Points.ToList().IndexOf("index_tip");
        Assert.True(Distance(hand.Points[0], hand.Points[30], ringTip) > 20, $"ring tip moved {Distance(hand.Points[0], hand.Points[30], ringTip):F1} mm");
        Assert.True(Distance(hand.Points[0], hand.Points[30], indexTip) < Distance(hand.Points[0], hand.Points[30], ringTip) / 4);
        Assert.Contains(clip.Series, s => s.Name == "ring1 flexion" && s.Values[30] > s.Values[0] + 10);

        string path = Path.Combine(Path.GetTempPath(), $"clip-{Guid.NewGuid():N}.json");
        try
        {
            clip.Save(path);
            var loaded = HandClip.Load(path);
            Assert.Equal(clip.Frames, loaded.Frames);
            Assert.Equal(clip.Layers[0].Points[17], loaded.Layers[0].Points[17]);
            Assert.Equal(clip.Muscles, loaded.Muscles);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_damaged_clip_is_refused_naming_the_file_field_and_value()
    {
        HandClip clip = ClipRecorders.Excitation(s_model, "EDC3", 1f, seconds: 0.1, relaxSeconds: 0);
        ClipLayer layer = clip.Layers[0];
        var shortFrame = layer.Points.ToList();
        shortFrame[2] = shortFrame[2][..^1];
        InvalidDataException error = Assert.Throws<InvalidDataException>(() => (clip with { Layers = [layer with { Points = shortFrame }] }).Validate("bad.json"));
        Assert.Equal("bad.json: layers[0].points[2] = 62: must hold 63 numbers", error.Message);

        var activations = layer.Activations!.ToList();
        activations[1] = [.. activations[1]];
        activations[1][0] = float.NaN;
        error = Assert.Throws<InvalidDataException>(() => (clip with { Layers = [layer with { Activations = activations }] }).Validate("bad.json"));
        Assert.StartsWith("bad.json: layers[0].activations[1]", error.Message);

        error = Assert.Throws<InvalidDataException>(() => (clip with { Kind = "dance" }).Validate("bad.json"));
        Assert.Equal("bad.json: kind = dance: must be tracking, biopr or excitation", error.Message);

        string path = Path.Combine(Path.GetTempPath(), $"clip-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{ \"format\": \"msmano-clip\", ");
        try
        {
            error = Assert.Throws<InvalidDataException>(() => HandClip.Load(path));
            Assert.StartsWith($"{path}: not a msmano-clip file", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Clip_names_outside_the_folder_are_not_resolved()
    {
        string root = Path.Combine(Path.GetTempPath(), $"clips-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "a.json"), "{}");
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "outside.json"), "{}");
        try
        {
            var clips = new ClipDirectory(root);
            Assert.Equal(Path.Combine(root, "a.json"), clips.Resolve("a.json"));
            Assert.Null(clips.Resolve("../outside.json"));
            Assert.Null(clips.Resolve("/etc/passwd"));
            Assert.Null(clips.Resolve("a.txt"));
            Assert.Equal(["a.json"], clips.List().Select(c => c.Name));
            Assert.Empty(new ClipDirectory(Path.Combine(root, "missing")).List());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static double Distance(float[] a, float[] b, int point)
    {
        double dx = a[point * 3] - b[point * 3], dy = a[(point * 3) + 1] - b[(point * 3) + 1], dz = a[(point * 3) + 2] - b[(point * 3) + 2];
        return Math.Sqrt((dx * dx) + (dy * dy) + (dz * dz));
    }
}
