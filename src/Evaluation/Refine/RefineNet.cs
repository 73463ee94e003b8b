using MsMano.Evaluation.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace MsMano.Evaluation.Refine;

/// <summary>
/// BioPR's refinement MLP (paper Eq. 9, Sec. 5): input = predicted pose (48) ++ reference pose from the
/// simulator without its wrist (45) = 93 numbers, one hidden ReLU layer (64), output = refined pose (48).
/// About 9.2 k parameters ("0.01M" in the paper). With <see cref="Residual"/> the output layer gives the correction
/// added to the predicted pose (refined = p_pred + MLP(input)): same layers and parameter count, but the net no longer
/// has to squeeze an identity map through 64 ReLU units, so a small correction is learned precisely.
/// </summary>
public sealed class RefineNet : IDisposable
{
    public const int PredictedSize = ManoJoints.PoseSize;
    public const int ReferenceSize = ManoJoints.PoseSize - 3;
    public const int InputSize = PredictedSize + ReferenceSize;
    public const int OutputSize = ManoJoints.PoseSize;

    private const string Magic = "MSMANO-REFINENET";
    private const int FileVersion = 2;

    private readonly nn.Module<Tensor, Tensor> _network;

    public RefineNet(int hiddenSize, Device? device = null, bool residual = false)
    {
        HiddenSize = hiddenSize;
        Residual = residual;
        Device = device ?? CPU;
        _network = nn.Sequential(
            ("hidden", nn.Linear(InputSize, hiddenSize)),
            ("relu", nn.ReLU()),
            ("output", nn.Linear(hiddenSize, OutputSize)));
        _network.to(Device);
    }

    public int HiddenSize { get; }

    /// <summary>Output = predicted pose + network output (true), or the network output alone (the paper's form).</summary>
    public bool Residual { get; }

    public Device Device { get; private set; }

    internal nn.Module<Tensor, Tensor> Network => _network;

    /// <summary>Refined poses [N, 48] of inputs [N, 93].</summary>
    internal Tensor Forward(Tensor inputs)
    {
        var output = _network.call(inputs);
        return Residual ? output + inputs.narrow(1, 0, PredictedSize) : output;
    }

    /// <summary>A pure C# copy of the current weights for per-frame inference without native calls.</summary>
    public RefineNetInference ToInference()
    {
        using var scope = NewDisposeScope();
        float[] Read(string name) => _network.named_parameters().First(p => p.name == name).parameter.detach().cpu().data<float>().ToArray();
        return new RefineNetInference(HiddenSize, Read("hidden.weight"), Read("hidden.bias"), Read("output.weight"), Read("output.bias"), Residual);
    }

    public long ParameterCount => _network.parameters().Sum(p => p.numel());

    /// <summary>Builds the 93-number inputs: predicted [N, 48] and reference [N, 45] or [N, 48] (its wrist is dropped).</summary>
    public static float[] BuildInputs(ReadOnlySpan<float> predicted, ReadOnlySpan<float> reference, out int frames)
    {
        if (predicted.Length % PredictedSize != 0)
        {
            throw new ArgumentException($"Predicted poses have {predicted.Length} numbers, not a multiple of {PredictedSize}.", nameof(predicted));
        }

        frames = predicted.Length / PredictedSize;
        var referenceWidth = reference.Length == frames * ManoJoints.PoseSize ? ManoJoints.PoseSize
            : reference.Length == frames * ReferenceSize ? ReferenceSize
            : throw new ArgumentException($"Reference poses have {reference.Length} numbers; expected {frames} × 45 or {frames} × 48.", nameof(reference));
        var skip = referenceWidth - ReferenceSize;
        var inputs = new float[frames * InputSize];
        for (var f = 0; f < frames; f++)
        {
            predicted.Slice(f * PredictedSize, PredictedSize).CopyTo(inputs.AsSpan(f * InputSize));
            reference.Slice((f * referenceWidth) + skip, ReferenceSize).CopyTo(inputs.AsSpan((f * InputSize) + PredictedSize));
        }

        return inputs;
    }

    /// <summary>Refines poses: predicted [N, 48], reference [N, 45] or [N, 48] → refined [N, 48].</summary>
    public float[] Refine(ReadOnlySpan<float> predicted, ReadOnlySpan<float> reference)
    {
        var inputs = BuildInputs(predicted, reference, out var frames);
        if (frames == 0)
        {
            return [];
        }

        _network.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = tensor(inputs, [frames, InputSize]).to(Device);
        return Forward(x).cpu().data<float>().ToArray();
    }

    public void Save(string path)
    {
        using var stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write(Magic);
        writer.Write(FileVersion);
        writer.Write(HiddenSize);
        writer.Write(Residual);
        _network.save(writer);
    }

    public static RefineNet Load(string path, Device? device = null)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        string magic;
        try
        {
            magic = reader.ReadString();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            throw new Biomechanics.Formats.DataFormatException(path, "header", "file is truncated or not a RefineNet checkpoint", e);
        }

        if (magic != Magic)
        {
            throw new Biomechanics.Formats.DataFormatException(path, "header", $"'{magic}' is not '{Magic}'");
        }

        var version = reader.ReadInt32();
        if (version is < 1 or > FileVersion)
        {
            throw new Biomechanics.Formats.DataFormatException(path, "version", $"{version} is not supported (expected 1..{FileVersion})");
        }

        var hidden = reader.ReadInt32();
        if (hidden is <= 0 or > 1 << 20)
        {
            throw new Biomechanics.Formats.DataFormatException(path, "hidden size", $"{hidden} is not plausible");
        }

        // Version 1 files predate the residual form and always hold the direct map.
        var residual = version >= 2 && reader.ReadBoolean();
        var net = new RefineNet(hidden, residual: residual);
        try
        {
            net._network.load(reader);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException)
        {
            net.Dispose();
            throw new Biomechanics.Formats.DataFormatException(path, "weights", $"cannot be loaded into a {InputSize}→{hidden}→{OutputSize} network ({e.Message})", e);
        }

        if (device is not null)
        {
            net._network.to(device);
            net.Device = device;
        }

        return net;
    }

    public void Dispose() => _network.Dispose();
}
