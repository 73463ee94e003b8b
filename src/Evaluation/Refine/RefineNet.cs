using MsMano.Evaluation.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace MsMano.Evaluation.Refine;

/// <summary>
/// BioPR's refinement MLP (paper Eq. 9, Sec. 5): input = predicted pose (48) ++ reference pose from the
/// simulator without its wrist (45) = 93 numbers, one hidden ReLU layer (64), output = refined pose (48).
/// About 9.2 k parameters ("0.01M" in the paper). With <see cref="Residual"/> the output layer gives the correction
/// added to the predicted pose (refined = p_pred + MLP(input)): same layers and parameter count, but the net no longer
/// has to squeeze an identity map through 64 ReLU units, so a small correction is learned precisely. With
/// <see cref="ReferenceGain"/> (residual only) a learned gain g per pose number (48, starting at 0) adds
/// g ⊙ (p_ref − p_pred): 64 ReLU units cannot pass a 45-d difference through linearly, so without it the net could
/// not even reproduce a reference that is better than the prediction. The gain also reaches the wrist (global
/// rotation), which the MLP's 93 inputs leave out of the reference: BioPR's reference wrist is its interpolated input
/// (the simulated wrist is fixed), and root-relative MPJPE still depends on the global rotation. Tensors hold 96-number
/// rows (prediction 48 ++ reference 48); the MLP reads the paper's 93 of them.
/// </summary>
public sealed class RefineNet : IDisposable
{
    public const int PredictedSize = ManoJoints.PoseSize;
    public const int ReferenceSize = ManoJoints.PoseSize - 3;
    public const int InputSize = PredictedSize + ReferenceSize;
    public const int OutputSize = ManoJoints.PoseSize;

    /// <summary>Numbers per row of the tensors the net reads: prediction 48 ++ reference 48 (the MLP skips the reference wrist).</summary>
    public const int RowSize = PredictedSize + ManoJoints.PoseSize;

    private const string Magic = "MSMANO-REFINENET";
    private const int FileVersion = 3;

    private readonly nn.Module<Tensor, Tensor> _network;
    private TorchSharp.Modules.Parameter? _gain;

    public RefineNet(int hiddenSize, Device? device = null, bool residual = false, bool referenceGain = false)
    {
        if (referenceGain && !residual)
        {
            throw new ArgumentException("RefineNet's reference gain is part of the residual form; it needs residual = true.", nameof(referenceGain));
        }

        HiddenSize = hiddenSize;
        Residual = residual;
        Device = device ?? CPU;
        _network = nn.Sequential(
            ("hidden", nn.Linear(InputSize, hiddenSize)),
            ("relu", nn.ReLU()),
            ("output", nn.Linear(hiddenSize, OutputSize)));
        _network.to(Device);
        if (referenceGain)
        {
            _gain = new TorchSharp.Modules.Parameter(zeros(OutputSize, device: Device));
        }
    }

    /// <summary>Whether the output adds the learned per-dof gain times (reference − prediction).</summary>
    public bool ReferenceGain => _gain is not null;

    public int HiddenSize { get; }

    /// <summary>Output = predicted pose + network output (true), or the network output alone (the paper's form).</summary>
    public bool Residual { get; }

    public Device Device { get; private set; }

    internal nn.Module<Tensor, Tensor> Network => _network;

    /// <summary>Everything the optimiser trains: the MLP and, when present, the reference gain.</summary>
    internal IEnumerable<TorchSharp.Modules.Parameter> TrainableParameters() =>
        _gain is null ? _network.parameters() : _network.parameters().Append(_gain);

    /// <summary>Refined poses [N, 48] of rows [N, 96] (see <see cref="RowSize"/>).</summary>
    internal Tensor Forward(Tensor rows)
    {
        Tensor predicted = rows.narrow(1, 0, PredictedSize);
        Tensor reference = rows.narrow(1, PredictedSize, ManoJoints.PoseSize);
        Tensor output = _network.call(cat([predicted, reference.narrow(1, 3, ReferenceSize)], 1));
        if (!Residual)
        {
            return output;
        }

        return _gain is null ? output + predicted : output + predicted + ((reference - predicted) * _gain);
    }

    /// <summary>A pure C# copy of the current weights for per-frame inference without native calls.</summary>
    public RefineNetInference ToInference()
    {
        using DisposeScope scope = NewDisposeScope();
        float[] Read(string name) => _network.named_parameters().First(p => p.name == name).parameter.detach().cpu().data<float>().ToArray();
        float[]? gain = _gain?.detach().cpu().data<float>().ToArray();
        return new RefineNetInference(HiddenSize, Read("hidden.weight"), Read("hidden.bias"), Read("output.weight"), Read("output.bias"), Residual, gain);
    }

    public long ParameterCount => _network.parameters().Sum(p => p.numel());

    /// <summary>
    /// Builds the 96-number rows: predicted [N, 48] and reference [N, 48], or [N, 45] without a wrist, whose wrist is
    /// then taken from the prediction (no pull on it).
    /// </summary>
    public static float[] BuildInputs(ReadOnlySpan<float> predicted, ReadOnlySpan<float> reference, out int frames)
    {
        if (predicted.Length % PredictedSize != 0)
        {
            throw new ArgumentException($"Predicted poses have {predicted.Length} numbers, not a multiple of {PredictedSize}.", nameof(predicted));
        }

        frames = predicted.Length / PredictedSize;
        int referenceWidth = reference.Length == frames * ManoJoints.PoseSize ? ManoJoints.PoseSize
            : reference.Length == frames * ReferenceSize ? ReferenceSize
            : throw new ArgumentException($"Reference poses have {reference.Length} numbers; expected {frames} × 45 or {frames} × 48.", nameof(reference));
        float[] inputs = new float[frames * RowSize];
        for (int f = 0; f < frames; f++)
        {
            Span<float> row = inputs.AsSpan(f * RowSize, RowSize);
            predicted.Slice(f * PredictedSize, PredictedSize).CopyTo(row);
            if (referenceWidth == ManoJoints.PoseSize)
            {
                reference.Slice(f * referenceWidth, referenceWidth).CopyTo(row[PredictedSize..]);
            }
            else
            {
                predicted.Slice(f * PredictedSize, 3).CopyTo(row[PredictedSize..]);
                reference.Slice(f * referenceWidth, ReferenceSize).CopyTo(row[(PredictedSize + 3)..]);
            }
        }

        return inputs;
    }

    /// <summary>Refines poses: predicted [N, 48], reference [N, 45] or [N, 48] → refined [N, 48].</summary>
    public float[] Refine(ReadOnlySpan<float> predicted, ReadOnlySpan<float> reference)
    {
        float[] inputs = BuildInputs(predicted, reference, out int frames);
        if (frames == 0)
        {
            return [];
        }

        _network.eval();
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        Tensor x = tensor(inputs, [frames, RowSize]).to(Device);
        return Forward(x).cpu().data<float>().ToArray();
    }

    public void Save(string path)
    {
        using FileStream stream = File.Create(path);
        using var writer = new BinaryWriter(stream);
        writer.Write(Magic);
        writer.Write(FileVersion);
        writer.Write(HiddenSize);
        writer.Write(Residual);
        writer.Write(ReferenceGain);
        _network.save(writer);
        if (_gain is not null)
        {
            foreach (float g in _gain.detach().cpu().data<float>().ToArray())
            {
                writer.Write(g);
            }
        }
    }

    public static RefineNet Load(string path, Device? device = null)
    {
        using FileStream stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream);
        string magic;
        try
        {
            magic = reader.ReadString();
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            throw new ModelFormats.DataFormatException(path, "header", "file is truncated or not a RefineNet checkpoint", e);
        }

        if (magic != Magic)
        {
            throw new ModelFormats.DataFormatException(path, "header", $"'{magic}' is not '{Magic}'");
        }

        int version = reader.ReadInt32();
        if (version is < 1 or > FileVersion)
        {
            throw new ModelFormats.DataFormatException(path, "version", $"{version} is not supported (expected 1..{FileVersion})");
        }

        int hidden = reader.ReadInt32();
        if (hidden is <= 0 or > 1 << 20)
        {
            throw new ModelFormats.DataFormatException(path, "hidden size", $"{hidden} is not plausible");
        }

        // Version 1 files predate the residual form and always hold the direct map.
        bool residual = version >= 2 && reader.ReadBoolean();
        bool referenceGain = version >= 3 && reader.ReadBoolean();
        if (referenceGain && !residual)
        {
            throw new ModelFormats.DataFormatException(path, "reference gain", "is set on a direct (non-residual) network");
        }

        var net = new RefineNet(hidden, residual: residual, referenceGain: referenceGain);
        try
        {
            net._network.load(reader);
            if (referenceGain)
            {
                float[] gain = new float[OutputSize];
                for (int k = 0; k < gain.Length; k++)
                {
                    gain[k] = reader.ReadSingle();
                }

                using IDisposable noGrad = no_grad();
                using Tensor loaded = tensor(gain);
                net._gain!.copy_(loaded);
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException)
        {
            net.Dispose();
            throw new ModelFormats.DataFormatException(path, "weights", $"cannot be loaded into a {InputSize}→{hidden}→{OutputSize} network ({e.Message})", e);
        }

        if (device is not null)
        {
            net._network.to(device);
            if (net._gain is not null)
            {
                // Moving a leaf tensor makes a new one; rewrap it so an optimiser would see a parameter.
                using Tensor moved = net._gain.detach().to(device);
                net._gain.Dispose();
                net._gain = new TorchSharp.Modules.Parameter(moved.clone());
            }

            net.Device = device;
        }

        return net;
    }

    public void Dispose()
    {
        _network.Dispose();
        _gain?.Dispose();
    }
}
