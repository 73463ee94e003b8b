using System.Buffers.Binary;
using MsMano.ModelFormats;
using MsMano.ModelFormats.Numpy;
using MsMano.TestSupport.Formats;

namespace MsMano.ModelFormats.Tests.Formats;

public sealed class NpzTests
{
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 8)]
    public void Stored_and_deflated_members_round_trip(bool compressed, int zipMethod)
    {
        float[] joints = Enumerable.Range(0, 63).Select(i => (float)(i * 0.01)).ToArray();
        var arrays = new Dictionary<string, NdArray>
        {
            ["joint_3d"] = NdArray.FromFloats(joints, 1, 21, 3),
            ["seg"] = NdArray.FromBytes(new byte[48 * 64], 48, 64),
        };
        using var stream = new MemoryStream();
        NpzWriter.Write(stream, arrays, compressed);
        byte[] bytes = stream.ToArray();
        // Local file header: compression method at offset 8 (0 = STORED, 8 = DEFLATED).
        Assert.Equal(zipMethod, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)));

        NpzFile npz = NpzReader.Read(new MemoryStream(bytes), "labels_000000.npz");
        Assert.Equal(["joint_3d", "seg"], npz.Keys.Order());
        Assert.Equal(joints, npz.Require("joint_3d", 1, 21, 3).ToFloatArray());
        Assert.Equal([48, 64], npz.Require("seg").Shape);
    }

    [Fact]
    public void Missing_key_and_wrong_shape_name_file_and_key()
    {
        using var stream = new MemoryStream();
        NpzWriter.Write(stream, [new("pose_m", NdArray.FromFloats(new float[51], 1, 51))], compressed: true);
        NpzFile npz = NpzReader.Read(new MemoryStream(stream.ToArray()), "labels_000007.npz");
        DataFormatException missing = Assert.Throws<DataFormatException>(() => npz.Require("joint_3d"));
        Assert.Contains("labels_000007.npz", missing.Message);
        Assert.Contains("joint_3d", missing.Message);
        Assert.Contains("pose_m", missing.Message);
        DataFormatException shape = Assert.Throws<DataFormatException>(() => npz.Require("pose_m", 1, 48));
        Assert.Contains("(1, 51)", shape.Message);
        Assert.Contains("(1, 48)", shape.Message);
        Assert.Equal([1, 51], npz.Require("pose_m", -1, 51).Shape);
    }

    [Fact]
    public void Garbage_and_truncated_archives_are_data_format_errors()
    {
        DataFormatException garbage = Assert.Throws<DataFormatException>(() => NpzReader.Read(new MemoryStream(new byte[100]), "bad.npz"));
        Assert.Contains("bad.npz", garbage.Message);

        using var stream = new MemoryStream();
        NpzWriter.Write(stream, [new("a", NdArray.FromDoubles(new double[1000], 1000))], compressed: false);
        byte[] bytes = stream.ToArray();
        DataFormatException cut = Assert.Throws<DataFormatException>(() => NpzReader.Read(new MemoryStream(bytes[..(bytes.Length / 2)]), "cut.npz"));
        Assert.Contains("cut.npz", cut.Message);
    }

    [Fact]
    public void File_round_trip()
    {
        string path = Path.Combine(Path.GetTempPath(), $"msmano-npz-{Guid.NewGuid():N}.npz");
        try
        {
            NpzWriter.Write(path, [new("x", NdArray.FromInt64([4294967295, -1, 0], 3))], compressed: true);
            Assert.Equal([4294967295L, -1, 0], NpzReader.Read(path).Require("x").ToInt64Array());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
