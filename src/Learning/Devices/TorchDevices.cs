using TorchSharp;
using static TorchSharp.torch;

namespace MsMano.Learning.Devices;

/// <summary>Turns the configured device name into a TorchSharp device.</summary>
public static class TorchDevices
{
    /// <summary>"auto" picks CUDA when TorchSharp sees a GPU, else the CPU; "cuda" without a GPU is an error.</summary>
    public static Device Resolve(string name)
    {
        string normalized = name.Trim().ToLowerInvariant();
        switch (normalized)
        {
            case "cpu":
                return CPU;
            case "cuda":
                if (!cuda.is_available())
                {
                    throw new InvalidOperationException("PpoConfig.Device is 'cuda' but TorchSharp sees no CUDA device.");
                }
                return CUDA;
            case "auto":
                return cuda.is_available() ? CUDA : CPU;
            default:
                throw new ArgumentException($"Device must be 'auto', 'cpu' or 'cuda', was '{name}'.", nameof(name));
        }
    }
}
